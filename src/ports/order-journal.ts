import type { Order, Side } from '../domain/types';
import type { OrderLeg } from '../domain/trading/client-order-id';
import type { OrderMeaning, OrderRole } from '../domain/trading/order-meaning';

/** One order the bot sent (or was about to send), by its client order id. */
export interface OrderRecord {
  clientOrderId: string;
  signalId: string;
  /** `close`, `open` and `scale` are a signal's legs; `flatten` comes from POST /flatten. */
  leg: OrderLeg;
  symbol: string;
  side: Side;
  qty?: number;
  notional?: number;
  /** The Config row (timeframe) whose book the order's fills move, in per-row mode; absent in shared mode. */
  book?: string;
  /** Why it exists: entry, exit, the rest of an exit, flatten, or protective. */
  role: OrderRole;
  /** What its final state sets off, journaled with it when it was sent. */
  meaning: OrderMeaning;
  /** The client order id of the order whose fill sent this one (a flip's close, for its opening leg). */
  parent?: string;
  /** When its meaning was applied (ms); absent until then. */
  settledAt?: number;
  /** The signal that cancelled it to trade its own way: its meaning is no longer applied, only its fills. */
  supersededBy?: string;
  /** `pending` = written before sending, outcome not yet known. */
  state: 'pending' | 'open' | 'filled' | 'failed';
  brokerId?: string;
  brokerStatus?: string;
  filledQty?: number;
  filledAvgPrice?: number;
  reason?: string;
  createdAt: number;
  updatedAt: number;
}

/** The journal's orders: each written with its meaning before it is sent, then what the broker says of it. */
export interface OrderJournal {
  /** Writes an order and its meaning before it is sent, in one transaction, so a crash can never lose track of either. */
  recordOrder(
    order: Pick<OrderRecord, 'clientOrderId' | 'signalId' | 'leg' | 'symbol' | 'side' | 'qty' | 'notional' | 'book' | 'meaning' | 'parent'>,
  ): void;
  /**
   * Stores what the broker says of the order now, never going back from a final
   * state (events may come late or twice); once it ends with fills, they move
   * its row books, once. Returns the record as stored; undefined for an order the bot never journaled.
   */
  updateOrder(clientOrderId: string, order: Order): OrderRecord | undefined;
  /** Calls `listener` with the symbol after each update that records more filled shares of an order than before. */
  onOrderFilled(listener: (symbol: string) => void): void;
  /** Records that the order's meaning was applied. */
  markSettled(clientOrderId: string): void;
  /** Records that `bySignalId` cancelled the order to trade its own way. */
  markSuperseded(clientOrderId: string, bySignalId: string): void;
  /** Orders that ended but whose meaning was not applied yet (a restart between the two), oldest first. */
  unsettledOrders(): OrderRecord[];
  /** The symbol's orders the journal believes still working (pending or open). */
  workingOrders(symbol: string): OrderRecord[];
  /** Marks an order failed (never reached the broker, or the broker refused it) and settled: its caller handles that outcome. */
  failOrder(clientOrderId: string, reason: string): void;
  getOrder(clientOrderId: string): OrderRecord | undefined;
  ordersForSignal(signalId: string): OrderRecord[];
  /**
   * When an order of the bot's last left `symbol` flat (ms): the latest filled
   * close, flatten or protective exit, by when its fill was applied (shared
   * mode; the cooldown counts from it). Undefined when there is none.
   */
  lastFlatAt(symbol: string): number | undefined;
  /** Orders whose final state is not known yet. */
  unfinishedOrders(): OrderRecord[];
  /** Filled orders whose signal carried a price: the raw material of slippage. */
  signalFills(sinceMs: number): { symbol: string; side: Side; signalPrice: number; fillPrice: number; qty: number; time: number }[];
}
