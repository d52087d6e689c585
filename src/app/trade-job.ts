import type { ConfigRow } from '../domain/trading/config-table';
import type { Signal } from '../domain/types';
import type { GuardVerdict } from './context';

/** A journaled signal on its way to the broker. */
export interface TradeJob {
  signalId: string;
  signal: Signal;
  /** Its Config row; absent when the Config could not be read (exits still trade). */
  row?: ConfigRow;
  /** Why there is no row to size an entry from (e.g. "config unavailable"). */
  rowProblem?: string;
  /** The row's Time Frame as the trader wrote it, when settling from the journal without the row. */
  label?: string;
  /** Set for a stale signal (or a re-run too old to open): its entries are refused with this; its exits still go. */
  late?: GuardVerdict;
}

const ACTION_WORDS = { long: 'BUY', short: 'SELL', close: 'CLOSE' } as const;

/** How a row names the signal that changed it: its timeframe and action word, e.g. "30 Min SELL". */
export function jobLabel(job: TradeJob): string {
  return `${job.row?.timeframeLabel ?? job.label ?? job.signal.timeframeLabel} ${ACTION_WORDS[job.signal.action]}`;
}
