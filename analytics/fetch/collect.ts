/**
 * Fetches everything one report needs, in parallel where the data allows:
 * account, portfolio history and benchmark bars at once, while positions and
 * then fills go in sequence (fills up to the moment positions were read, so
 * the positions held at the window's start can be reconstructed exactly).
 */
import { withRetry } from '../../src/shared/retry';
import { describeError } from '../../src/domain/errors';
import type { SignalFill } from '../../src/domain/performance/slippage';
import type { AccountHistory, Broker, Clock, Logger } from '../../src/ports';
import type { CollectedData } from '../model/compute';
import { listFillsInSlices } from './fills-in-slices';
import { count } from '../format';

/** Filled orders with their alerts' prices; the journal implements it. */
export interface SignalFillSource {
  /** Orders filled since `sinceMs` (epoch ms) whose signal carried a price; `time` is epoch ms. */
  signalFills(sinceMs: number): (SignalFill & { time: number })[];
}

/**
 * A window is read as slices of at least 15 days, up to 24 at once: a year
 * of 10,000 fills then costs 5 pages in a row instead of 100, and about 124
 * requests in all, well inside Alpaca's 200 a minute.
 */
const SLICES = { minSliceDays: 15, maxSlices: 24 };

/** What collecting needs. */
export interface CollectDeps {
  broker: Broker;
  /** Where orders go (`local`, `paper` or `live`), which the report names. */
  mode: CollectedData['mode'];
  history: AccountHistory;
  journal?: SignalFillSource;
  clock: Clock;
  logger: Logger;
  /** One human line per step, for stderr. */
  progress: (line: string) => void;
}

/** Fetches the window's data; the benchmark is optional (a failure becomes a note, not a failed run). */
export async function collect(deps: CollectDeps, start: Date, requestedEnd: Date, benchmarkSymbol = 'SPY'): Promise<CollectedData> {
  // Every read is a GET: a dropped connection or a 5xx is retried briefly rather than failing the report.
  const step = <T>(label: string, read: () => Promise<T>, size?: (x: T) => number): Promise<T> =>
    withRetry(deps.clock, read).then((x) => {
      deps.progress(`fetched ${label}${size ? `… ${count(size(x))}` : ''}`);
      return x;
    });
  deps.progress(`fetching account, positions, fills, portfolio history and ${benchmarkSymbol} bars…`);
  let end = requestedEnd;
  const positionsThenFills = step(
    'positions',
    () => deps.broker.listPositions(),
    (p) => p.length,
  ).then(async (positions) => {
    end = new Date(Math.min(requestedEnd.getTime(), deps.clock.now().getTime()));
    const fills = await listFillsInSlices(deps.history, deps.clock, start, end, {
      ...SLICES,
      onProgress: (n) => deps.progress(`fetching fills… ${count(n)}`),
    });
    return { positions, fills };
  });
  let benchmarkError: string | undefined;
  // A day early: some feeds stamp daily bars 04:00 UTC, before a winter window's New York midnight.
  const barsFrom = new Date(start.getTime() - 86_400_000);
  const bars = step(
    `${benchmarkSymbol} bars`,
    () => deps.history.getDailyBars(benchmarkSymbol, barsFrom, requestedEnd),
    (b) => b.length,
  ).catch((err) => {
    benchmarkError = describeError(err);
    deps.logger.warn('analytics.benchmark_unavailable', { symbol: benchmarkSymbol, error: benchmarkError });
    return [];
  });
  const [account, { positions, fills }, history, benchmark] = await Promise.all([
    step('account', () => deps.broker.getAccount()),
    positionsThenFills,
    step(
      'portfolio history',
      () => deps.history.getPortfolioHistory(start, requestedEnd),
      (h) => h.timestamp.length,
    ),
    bars,
  ]);
  const signalFills = deps.journal
    ?.signalFills(start.getTime())
    .filter((f) => f.time <= end.getTime())
    .map(({ time: _t, ...f }) => f);
  return { mode: deps.mode, start, end, account, positions, fills, history, benchmarkSymbol, benchmark, signalFills, benchmarkError };
}
