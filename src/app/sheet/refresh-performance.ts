/**
 * Use case: rewrite the Performance tab with per-symbol P&L over the last
 * `windowDays`, from FIFO-matched fills and the current positions. Runs on a
 * schedule in the server and on demand for `GET /performance`.
 */
import { ConfigurationError, describeError } from '../../domain/errors';
import { matchFifo, type RoundTrip } from '../../domain/performance/fifo';
import { reconstructOpeningLots } from '../../domain/performance/opening-lots';
import {
  buildPerformanceRows,
  formatLastUpdated,
  isValidTimezone,
  renderPerformanceTable,
  type PerformanceRow,
} from '../../domain/performance/performance';
import { rowPerformance } from '../../domain/performance/row-performance';
import type { Position } from '../../domain/types';
import type { AccountHistory, Broker, Clock, Logger, RowBooks, SheetStore } from '../../ports';

/** What the refresher needs; `tab` is normally 'Performance', `timezone` an IANA zone. */
export interface PerformanceDeps {
  broker: Broker;
  history: AccountHistory;
  sheet: SheetStore;
  clock: Clock;
  logger: Logger;
  tab: string;
  windowDays: number;
  timezone: string;
  /** Per-row mode: one line per (symbol, timeframe), from the rows' own books. */
  rowBooks?: Pick<RowBooks, 'rowChanges'>;
  /** Started with every refresh, scheduled or asked for, and not waited for: the Positions tab is rewritten alongside. */
  alongside?: () => void;
}

/** One refresh's result: the rows as numbers (TOTAL last) and exactly the cells written (header first). */
export interface PerformanceReport {
  /** ISO UTC bounds of the fills window. */
  windowStart: string;
  windowEnd: string;
  rows: PerformanceRow[];
  table: string[][];
  /** Round trips closing a position opened before the window at an unknown price: left out of the stats. */
  unpricedRoundTrips: number;
}

/** The refresher: one refresh on demand, or every `intervalMs` until stopped. */
export interface PerformanceRefresher {
  /** Computes and writes the tab; a call while one runs joins it instead of starting another. */
  refresh(): Promise<PerformanceReport>;
  /** Refreshes now and then every `intervalMs`; failures are logged, the schedule goes on. */
  start(intervalMs: number): void;
  /** Stops the schedule; a refresh in flight finishes. */
  stop(): void;
}

const DAY_MS = 86_400_000;

/** What the tab is built from: closed round trips, what is held, what was traded, and how many fills went in. */
interface Trades {
  roundTrips: RoundTrip[];
  held: Position[];
  traded: string[];
  fills: number;
}

/** Shared positions: the account's fills in the window, seeded with what was open at its start. */
async function accountTrades(history: AccountHistory, positions: Position[], start: Date, end: Date): Promise<Trades> {
  const fills = await history.listFills(start, end);
  const { roundTrips } = matchFifo(fills, reconstructOpeningLots(fills, positions, start));
  return { roundTrips, held: positions, traded: fills.map((f) => f.symbol), fills: fills.length };
}

/** Per-row mode: each row's fills at its broker order's price, netted and corrected changes at the latest price. */
function perRowTrades(books: Pick<RowBooks, 'rowChanges'>, positions: Position[], start: Date): Trades {
  const changes = books.rowChanges(0);
  const perRow = rowPerformance(changes, start.getTime(), (symbol) => positions.find((p) => p.symbol === symbol)?.currentPrice);
  return { roundTrips: perRow.roundTrips, held: perRow.positions, traded: perRow.labels, fills: changes.length };
}

/** Builds the Performance refresher; ConfigurationError for an unknown timezone or a bad window. */
export function createPerformanceRefresher(deps: PerformanceDeps): PerformanceRefresher {
  if (!isValidTimezone(deps.timezone)) {
    throw new ConfigurationError(`Unknown timezone "${deps.timezone}". Use an IANA name like America/Los_Angeles.`);
  }
  if (!(deps.windowDays > 0)) throw new ConfigurationError(`The Performance window must be > 0 days, got ${deps.windowDays}.`);

  /** The story: positions now, the window's fills, seed what was open at its start, match, compute, write. */
  async function refreshOnce(): Promise<PerformanceReport> {
    deps.alongside?.();
    // Positions first, then fills up to that moment, so the reconstructed opening positions agree with both.
    const positions = await deps.broker.listPositions();
    const end = deps.clock.now();
    const start = new Date(end.getTime() - deps.windowDays * DAY_MS);
    const { roundTrips, traded, held, fills } = deps.rowBooks
      ? perRowTrades(deps.rowBooks, positions, start)
      : await accountTrades(deps.history, positions, start, end);
    const rows = buildPerformanceRows({ roundTrips, positions: held, symbols: traded, lastUpdated: formatLastUpdated(end, deps.timezone) });
    const table = renderPerformanceTable(rows);
    await deps.sheet.replaceTab(deps.tab, table);
    const unpricedRoundTrips = roundTrips.filter((t) => !Number.isFinite(t.pnl)).length;
    deps.logger.info('performance.refreshed', {
      tab: deps.tab,
      symbols: rows.length - 1,
      fills,
      roundTrips: roundTrips.length - unpricedRoundTrips,
      ...(unpricedRoundTrips ? { unpricedRoundTrips } : {}),
    });
    return { windowStart: start.toISOString(), windowEnd: end.toISOString(), rows, table, unpricedRoundTrips };
  }

  let inFlight: Promise<PerformanceReport> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const refresh = (): Promise<PerformanceReport> => {
    inFlight ??= refreshOnce().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  const tick = () => {
    refresh().catch((err) => deps.logger.error('performance.refresh_failed', { tab: deps.tab, error: describeError(err) }));
  };

  return {
    refresh,
    start(intervalMs) {
      if (timer) return;
      tick();
      // unref: the schedule alone must not keep the process (or a test run) alive.
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
