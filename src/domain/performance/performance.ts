/**
 * The Performance tab's numbers and text: per-symbol stats over FIFO round
 * trips plus the current positions, a TOTAL row, and the rendered table.
 * Pure; the use case in app/sheet/refresh-performance.ts feeds it.
 */
import { DateTime } from 'luxon';
import type { RoundTrip } from './fifo';
import { formatMoney, formatPercent, formatQty, roundCents, roundQty } from './money';
import type { Position } from '../types';

/** The tab's header, in order; the sheet is read by these names. */
export const PERFORMANCE_COLUMNS = [
  'symbol',
  'total_trades',
  'winning_trades',
  'losing_trades',
  'win_rate',
  'total_pnl',
  'avg_pnl_per_trade',
  'best_trade',
  'worst_trade',
  'open_qty',
  'unrealized_pl',
  'last_updated',
] as const;

/** The symbol cell of the summary row, always last. */
export const TOTAL_SYMBOL = 'TOTAL';

/**
 * One row of the tab as numbers (money rounded to cents). A trade wins when its
 * P&L is at least +$0.01 and loses at -$0.01 or below; a breakeven trade counts
 * in total_trades only. Nulls are shown as blank cells: no trades means no
 * rate, average, best or worst, and the TOTAL row has no open_qty (shares of
 * different stocks don't add up).
 */
export interface PerformanceRow {
  symbol: string;
  totalTrades: number;
  winningTrades: number;
  losingTrades: number;
  /** winning / total, a fraction 0..1. */
  winRate: number | null;
  totalPnl: number;
  avgPnlPerTrade: number | null;
  bestTrade: number | null;
  worstTrade: number | null;
  /** Signed shares held now (+ long, - short), 0 when flat. */
  openQty: number | null;
  unrealizedPl: number;
  lastUpdated: string;
}

/** What the rows are built from. */
export interface PerformanceInput {
  /** Round trips closed in the window; those with unknown (NaN) P&L are left out. */
  roundTrips: RoundTrip[];
  positions: Position[];
  /** Symbols traded in the window; each gets a row even with no closed trade. */
  symbols: Iterable<string>;
  /** The already formatted refresh time. */
  lastUpdated: string;
}

/** Win/loss counts and extremes from per-trade P&Ls. */
function tradeStats(pnls: number[]) {
  const cents = pnls.map(roundCents);
  const n = pnls.length;
  const total = pnls.reduce((a, b) => a + b, 0);
  return {
    totalTrades: n,
    winningTrades: cents.filter((c) => c > 0).length,
    losingTrades: cents.filter((c) => c < 0).length,
    winRate: n ? cents.filter((c) => c > 0).length / n : null,
    totalPnl: roundCents(total),
    avgPnlPerTrade: n ? roundCents(total / n) : null,
    bestTrade: n ? roundCents(Math.max(...pnls)) : null,
    worstTrade: n ? roundCents(Math.min(...pnls)) : null,
  };
}

/** The TOTAL row; its money sums the rows' rounded cents so the column adds up as displayed. */
function totalRow(rows: PerformanceRow[], lastUpdated: string): PerformanceRow {
  const sum = (pick: (r: PerformanceRow) => number) => rows.reduce((a, r) => a + pick(r), 0);
  const totalTrades = sum((r) => r.totalTrades);
  const winningTrades = sum((r) => r.winningTrades);
  const totalPnl = roundCents(sum((r) => r.totalPnl));
  const bests = rows.flatMap((r) => (r.bestTrade === null ? [] : [r.bestTrade]));
  const worsts = rows.flatMap((r) => (r.worstTrade === null ? [] : [r.worstTrade]));
  return {
    symbol: TOTAL_SYMBOL,
    totalTrades,
    winningTrades,
    losingTrades: sum((r) => r.losingTrades),
    winRate: totalTrades ? winningTrades / totalTrades : null,
    totalPnl,
    avgPnlPerTrade: totalTrades ? roundCents(totalPnl / totalTrades) : null,
    bestTrade: bests.length ? Math.max(...bests) : null,
    worstTrade: worsts.length ? Math.min(...worsts) : null,
    openQty: null,
    unrealizedPl: roundCents(sum((r) => r.unrealizedPl)),
    lastUpdated,
  };
}

/**
 * One row per symbol with a fill in the window or an open position (sorted by
 * symbol), then TOTAL. Realised figures come from the round trips; open_qty and
 * unrealized_pl from the broker's current positions.
 */
export function buildPerformanceRows(input: PerformanceInput): PerformanceRow[] {
  const priced = input.roundTrips.filter((t) => Number.isFinite(t.pnl));
  const symbols = new Set([...input.symbols, ...input.positions.map((p) => p.symbol), ...priced.map((t) => t.symbol)]);
  const rows = [...symbols].sort().map((symbol): PerformanceRow => {
    const position = input.positions.find((p) => p.symbol === symbol);
    return {
      symbol,
      ...tradeStats(priced.filter((t) => t.symbol === symbol).map((t) => t.pnl)),
      openQty: position ? roundQty(position.qty) : 0,
      unrealizedPl: position ? roundCents(position.unrealizedPl) : 0,
      lastUpdated: input.lastUpdated,
    };
  });
  return [...rows, totalRow(rows, input.lastUpdated)];
}

/** A money cell, blank for null. */
const money = (x: number | null) => (x === null ? '' : formatMoney(x));

/** The tab's cells: header row, then each row as display text. */
export function renderPerformanceTable(rows: PerformanceRow[]): string[][] {
  const body = rows.map((r) => [
    r.symbol,
    String(r.totalTrades),
    String(r.winningTrades),
    String(r.losingTrades),
    r.winRate === null ? '' : formatPercent(r.winRate),
    money(r.totalPnl),
    money(r.avgPnlPerTrade),
    money(r.bestTrade),
    money(r.worstTrade),
    r.openQty === null ? '' : formatQty(r.openQty),
    money(r.unrealizedPl),
    r.lastUpdated,
  ]);
  return [[...PERFORMANCE_COLUMNS], ...body];
}

/** True when luxon knows the IANA zone name (e.g. `America/Los_Angeles`). */
export function isValidTimezone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** `2025-10-10 22:30:05 PDT` in `zone`; the abbreviation is English whatever the host locale. */
export function formatLastUpdated(at: Date, zone: string): string {
  return DateTime.fromJSDate(at).setZone(zone).setLocale('en-US').toFormat('yyyy-MM-dd HH:mm:ss ZZZZ');
}
