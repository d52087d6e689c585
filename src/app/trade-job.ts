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
