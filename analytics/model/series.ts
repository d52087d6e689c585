/**
 * Turns the broker's daily portfolio history and the benchmark's daily bars
 * into one row per market day: equity, the day's return, the benchmark's
 * close and return, and the drawdown. Pure.
 *
 * The day's return is `profit_loss[t] / equity[t-1]`: Alpaca's profit/loss
 * excludes deposits and withdrawals, so cash moving in or out is never
 * mistaken for performance. A day without a prior equity has no return,
 * except on the first day of all (a window with one equity point): its
 * return is measured from the equity it started from, `equity - profit_loss`
 * (else the history's base value), so the first day has a period return.
 */
import { DateTime } from 'luxon';
import { underwater } from '../../src/domain/performance/metrics';
import type { Bar, PortfolioHistory } from '../../src/domain/types';

/** Alpaca stamps daily points and bars at the market's midnight; dates are read in its zone. */
export const MARKET_ZONE = 'America/New_York';

/** One market day of the report. */
export interface EquityRow {
  /** `YYYY-MM-DD`, the market's calendar day. */
  date: string;
  equity: number | null;
  /** Null on the first day and after a day without equity. */
  dailyReturn: number | null;
  benchmarkClose: number | null;
  /** Close over the previous available close; null without both. */
  benchmarkReturn: number | null;
  /** Below the running peak of compounded returns (0 at a high); null before the first return. */
  drawdown: number | null;
}

/**
 * The market day a daily point or bar belongs to. Conventions differ: Alpaca
 * stamps midnight New York (or the 9:30 open in older history), and some
 * feeds use 04:00 UTC all year, which is 23:00 the evening before in winter.
 * Shifting by 6 hours before reading the New York date puts every stamp from
 * 18:00 the evening before to 17:59 on its trading day.
 */
export function marketDate(t: number | string): string {
  const dt = typeof t === 'number' ? DateTime.fromSeconds(t) : DateTime.fromISO(t);
  return dt.plus({ hours: 6 }).setZone(MARKET_ZONE).toISODate() as string;
}

/** The New York calendar date of an instant (no shift: for window bounds, not daily stamps). */
export function nyDate(at: Date): string {
  return DateTime.fromJSDate(at).setZone(MARKET_ZONE).toISODate() as string;
}

/** Daily rows from the portfolio history, with benchmark closes aligned by date. */
export function buildEquityRows(history: PortfolioHistory, benchmark: readonly Bar[]): EquityRow[] {
  const closes = new Map(benchmark.filter((b) => b.c > 0).map((b) => [marketDate(b.t), b.c] as const));
  const rows: EquityRow[] = [];
  let prevEquity: number | null = null;
  let prevClose: number | null = null;
  history.timestamp.forEach((ts, i) => {
    const equity = positive(history.equity[i]);
    const pl = history.profitLoss[i];
    const date = marketDate(ts);
    const close = closes.get(date) ?? null;
    rows.push({
      date,
      equity,
      dailyReturn: prevEquity !== null && typeof pl === 'number' && Number.isFinite(pl) ? pl / prevEquity : null,
      benchmarkClose: close,
      // Against the last close seen, so returns still chain when the benchmark skips a day.
      benchmarkReturn: close !== null && prevClose !== null ? close / prevClose - 1 : null,
      drawdown: null,
    });
    prevEquity = equity;
    if (close !== null) prevClose = close;
  });
  if (!rows.some((r) => r.dailyReturn !== null)) firstDayReturn(history, rows);
  return withDrawdown(rows);
}

/** The lone equity point's return against the equity the day started from (its profit/loss taken off, else the base value). */
function firstDayReturn(history: PortfolioHistory, rows: EquityRow[]): void {
  const i = rows.findIndex((r) => r.equity !== null);
  if (i < 0) return;
  const equity = rows[i].equity as number;
  const pl = history.profitLoss[i];
  const start = typeof pl === 'number' && Number.isFinite(pl) ? equity - pl : history.baseValue;
  if (Number.isFinite(start) && start > 0) rows[i] = { ...rows[i], dailyReturn: equity / start - 1 };
}

/** Fills in each row's drawdown from the compounded returns so far. */
function withDrawdown(rows: EquityRow[]): EquityRow[] {
  const withReturn = rows.filter((r) => r.dailyReturn !== null);
  const uw = underwater(withReturn.map((r) => r.dailyReturn as number));
  const byDate = new Map(withReturn.map((r, i) => [r.date, uw[i]]));
  let last: number | null = null;
  return rows.map((r) => {
    const d = byDate.get(r.date);
    if (d !== undefined) last = d;
    // The starting day is at its own peak; days without a return keep the last known depth.
    const drawdown = d ?? (withReturn.length > 0 && r.date <= withReturn[0].date ? 0 : last);
    return { ...r, drawdown };
  });
}

/** A positive finite equity, else null (Alpaca pads days before the account existed with 0). */
function positive(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null;
}
