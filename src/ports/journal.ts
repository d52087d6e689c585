import type { OrderJournal } from './order-journal';
import type { RowBooks } from './row-books';
import type { SignalJournal } from './signal-journal';
import type { StateStore } from './state';
import type { StatusQueue } from './status-queue';
import type { TradeState } from './trade-state';

/**
 * The durable record of signals, orders, the sheet outbox, the per-row books
 * and small state (SQLite): the union of the parts, which one adapter
 * implements. The wiring holds it whole; each user depends on the parts it uses.
 */
export interface Journal extends SignalJournal, OrderJournal, StatusQueue, RowBooks, TradeState, StateStore {
  /** Runs `work` as one transaction: all of its writes land, or none. */
  atomically<T>(work: () => T): T;
}
