/**
 * Reads a window's fills as disjoint time slices side by side. Alpaca pages
 * fills sequentially (each page token is the last id), so one walk over 100
 * pages costs 100 round trips in a row; slices cut that to a few each.
 */
import { withRetry } from '../../src/shared/retry';
import type { Fill } from '../../src/domain/types';
import type { AccountHistory, Clock } from '../../src/ports';

/** How finely to slice. */
export interface SliceOptions {
  /** A slice is never shorter than this many days. */
  minSliceDays: number;
  /** At most this many requests in flight at once. */
  maxSlices: number;
  /** Called with the running total after each slice arrives. */
  onProgress?: (fetched: number) => void;
}

/**
 * Every fill in [start, end], oldest first. The slices are disjoint
 * ([a, b], [b + 1 ms, c], …), so no fill is counted twice.
 */
export async function listFillsInSlices(
  history: AccountHistory,
  clock: Clock,
  start: Date,
  end: Date,
  opts: SliceOptions,
): Promise<Fill[]> {
  const span = Math.max(0, end.getTime() - start.getTime());
  const n = Math.max(1, Math.min(opts.maxSlices, Math.ceil(span / (opts.minSliceDays * 86_400_000))));
  const bounds = Array.from({ length: n + 1 }, (_, i) => start.getTime() + Math.round((span * i) / n));
  let fetched = 0;
  const slices = await Promise.all(
    bounds.slice(0, -1).map(async (from, i) => {
      // A GET: a dropped connection or a 5xx is retried briefly rather than failing the report.
      const fills = await withRetry(clock, () => history.listFills(new Date(i === 0 ? from : from + 1), new Date(bounds[i + 1])));
      fetched += fills.length;
      opts.onProgress?.(fetched);
      return fills;
    }),
  );
  return slices.flat();
}
