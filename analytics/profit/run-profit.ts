/**
 * Use case: the quick look at the account for `npm run profit`. Account and
 * positions at once, then the window's fills up to that moment, matched FIFO
 * exactly as the Performance tab does (positions opened before the window
 * seeded as lots), and the report built from them.
 */
import { withRetry } from '../../src/shared/retry';
import { matchFifo } from '../../src/domain/performance/fifo';
import { reconstructOpeningLots } from '../../src/domain/performance/opening-lots';
import { buildPerformanceRows } from '../../src/domain/performance/performance';
import type { AccountHistory, Broker, Clock } from '../../src/ports';
import { listFillsInSlices } from '../fetch/fills-in-slices';
import { buildProfitReport, type ProfitReport } from './profit-report';

/** What a run needs. */
export interface ProfitDeps {
  broker: Broker;
  /** Where orders go (`local`, `paper` or `live`), which the report names. */
  mode: ProfitReport['mode'];
  history: AccountHistory;
  clock: Clock;
  /** PERFORMANCE_WINDOW_DAYS: the realised P&L's window. */
  windowDays: number;
  /** Human progress lines (stderr); default none. */
  progress?: (line: string) => void;
}

/** A 30-day window is read as 12 slices of 2.5 days side by side: 5,000 fills cost ~5 pages in a row, not 50. */
const SLICES = { minSliceDays: 1, maxSlices: 12 };

const DAY_MS = 86_400_000;

/** Reads the account, positions and the window's fills, and builds the report. */
export async function runProfit(deps: ProfitDeps): Promise<ProfitReport> {
  const progress = deps.progress ?? (() => {});
  progress('fetching account, positions and fills…');
  const [account, positions] = await Promise.all([
    withRetry(deps.clock, () => deps.broker.getAccount()),
    withRetry(deps.clock, () => deps.broker.listPositions()),
  ]);
  // Fills up to the moment positions were read, so the window's opening positions are rebuilt exactly.
  const to = deps.clock.now();
  const from = new Date(to.getTime() - deps.windowDays * DAY_MS);
  const fills = await listFillsInSlices(deps.history, deps.clock, from, to, SLICES);
  progress(`fetched ${positions.length} positions and ${fills.length} fills`);

  const { roundTrips } = matchFifo(fills, reconstructOpeningLots(fills, positions, from));
  const rows = buildPerformanceRows({ roundTrips, positions, symbols: fills.map((f) => f.symbol), lastUpdated: '' });
  return buildProfitReport({
    mode: deps.mode,
    now: to,
    account,
    positions,
    total: rows[rows.length - 1],
    window: { days: deps.windowDays, from, to },
    fills: fills.length,
    unpricedRoundTrips: roundTrips.filter((t) => !Number.isFinite(t.pnl)).length,
  });
}
