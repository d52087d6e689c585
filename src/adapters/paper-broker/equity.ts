/**
 * Daily equity snapshots of the paper account: one row per New York calendar
 * day (the market's day, as Alpaca's daily portfolio history uses), rewritten
 * with the latest equity on every fill and valuation. They give `last_equity`
 * and the portfolio history that analytics reads.
 */
import type { Database } from 'better-sqlite3';
import { DateTime } from 'luxon';
import { roundCents } from '../../domain/performance/money';
import type { PortfolioHistory } from '../../domain/types';

const MARKET_ZONE = 'America/New_York';

/** The market's calendar day of `at`, as `YYYY-MM-DD`. */
export function marketDay(at: Date): string {
  return DateTime.fromJSDate(at).setZone(MARKET_ZONE).toISODate() as string;
}

/** Unix seconds of a market day's midnight, the timestamp Alpaca gives daily points. */
function dayStartSeconds(day: string): number {
  return DateTime.fromISO(day, { zone: MARKET_ZONE }).toSeconds();
}

/** Reads and writes `paper_equity`. */
export class EquitySnapshots {
  constructor(
    private readonly db: Database,
    private readonly startingCash: () => number,
  ) {}

  /** Records `equity` as the value of `at`'s day, replacing an earlier one from the same day. */
  record(at: Date, equity: number): void {
    // The tools that only look (the doctor, profit) open the journal read-only: the server keeps the snapshots.
    if (this.db.readonly) return;
    this.db
      .prepare(
        'INSERT INTO paper_equity (day, equity, time) VALUES (?, ?, ?) ' +
          'ON CONFLICT(day) DO UPDATE SET equity = excluded.equity, time = excluded.time',
      )
      .run(marketDay(at), equity, at.toISOString());
  }

  /** The equity at the last snapshot before `at`'s day; the starting cash before the first one. */
  before(at: Date): number {
    const row = this.db.prepare('SELECT equity FROM paper_equity WHERE day < ? ORDER BY day DESC LIMIT 1').get(marketDay(at)) as
      { equity: number } | undefined;
    return row?.equity ?? this.startingCash();
  }

  /**
   * Daily points over [start, end]. Each day's profit/loss is that day's
   * change (from the day before, or from the equity before the first day), so
   * `profitLoss[t] / equity[t-1]` is the day's return, as for Alpaca's 1D history.
   */
  history(start: Date, end: Date): PortfolioHistory {
    const rows = this.db
      .prepare('SELECT day, equity FROM paper_equity WHERE day >= ? AND day <= ? ORDER BY day')
      .all(marketDay(start), marketDay(end)) as { day: string; equity: number }[];
    const baseValue = this.before(start);
    return {
      timestamp: rows.map((r) => dayStartSeconds(r.day)),
      equity: rows.map((r) => r.equity),
      profitLoss: rows.map((r, i) => roundCents(r.equity - (i > 0 ? rows[i - 1].equity : baseValue))),
      baseValue,
    };
  }
}
