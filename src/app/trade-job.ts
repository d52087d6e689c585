import type { ConfigRow } from '../domain/config-table';
import type { Signal } from '../domain/types';

/** A journaled signal on its way to the broker. */
export interface TradeJob {
  signalId: string;
  signal: Signal;
  /** Its Config row; absent when the Config could not be read (exits still trade). */
  row?: ConfigRow;
  /** Why there is no row to size an entry from (e.g. "config unavailable"). */
  rowProblem?: string;
}

const ACTION_WORDS = { long: 'BUY', short: 'SELL', close: 'CLOSE' } as const;

/** How a row names the signal that changed it: its timeframe and action word, e.g. "30 Min SELL". */
export function jobLabel(job: TradeJob): string {
  return `${job.row?.timeframeLabel ?? job.signal.timeframeLabel} ${ACTION_WORDS[job.signal.action]}`;
}
