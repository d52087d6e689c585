import type { RowChange } from '../domain/performance/row-performance';

/** One Config row's own position (per-row mode). */
export interface RowBookEntry {
  symbol: string;
  timeframe: string;
  /** Signed whole shares. */
  qty: number;
  /** When it last changed (ms). */
  changedAt: number;
}

/** One change to a row's book: a fill, a change netted inside the symbol, a reconcile correction, or a mode switch. */
export interface RowBookChange extends RowChange {
  source: 'fill' | 'netted' | 'reconcile' | 'assigned';
}

/** The per-row books of POSITION_MODE=per-row, kept in the journal. */
export interface RowBooks {
  /** Every row's book, or those of one symbol. */
  rowBooks(symbol?: string): RowBookEntry[];
  /** Applies a change to its row's book, once per `ref`; false when already applied. */
  applyRowChange(change: Omit<RowBookChange, 'id'>): boolean;
  /** Every change at or after `sinceMs`, oldest first (the lots for per-row P&L). */
  rowChanges(sinceMs: number): RowBookChange[];
  /** Empties every row's book (per-row mode starts afresh). */
  clearRowBooks(): void;
  /** The timeframe of the row whose signal last had an order filled in `symbol`; undefined when none. */
  latestTradeRow(symbol: string): string | undefined;
}
