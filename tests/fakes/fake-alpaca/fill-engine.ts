/**
 * What happens to an order after Alpaca accepts it: it waits while the market
 * is closed, turns `new` once routed, then fills at the symbol's price (or
 * ends `rejected`, when the test asked for that). Like Alpaca, the POST always
 * answers `accepted`; the fill shows on a later GET.
 */
import { randomUUID } from 'node:crypto';
import { type Book, dec, OPEN_STATUSES, round9 } from './book';
import { makeResting, ocoSibling, restingToFill, type RestingTerms } from './protective';
import type { OrderState } from './types';

/** The parts of an accepted order that the rules checked. */
export interface NewOrder {
  symbol: string;
  side: 'buy' | 'sell';
  type: string;
  time_in_force: string;
  qty?: number;
  notional?: number;
  client_order_id?: string;
  /** Set for stop, limit, trailing stop and OCO orders: they rest until the price reaches them. */
  resting?: RestingTerms;
}

/** Records an accepted order and decides when it may fill. */
export function acceptOrder(book: Book, input: NewOrder, now = Date.now()): OrderState {
  const at = new Date(now).toISOString();
  const { mode, delayMs } = book.fillSettings(input.symbol);
  const held = book.positions.get(input.symbol)?.qty ?? 0;
  const closes = input.side === 'buy' ? held < 0 : held > 0;
  const order: OrderState = {
    id: randomUUID(),
    client_order_id: input.client_order_id ?? randomUUID(),
    symbol: input.symbol,
    asset_id: book.assets.get(input.symbol)?.id ?? randomUUID(),
    side: input.side,
    position_intent: `${input.side}_to_${closes ? 'close' : 'open'}`,
    type: input.type,
    time_in_force: input.time_in_force,
    qty: input.qty,
    notional: input.notional,
    status: 'accepted',
    created_at: at,
    updated_at: at,
    submitted_at: at,
    filled_qty: 0,
    fillAt: mode === 'immediate' ? now + delayMs : undefined,
  };
  if (book.rejectNextCount > 0) {
    book.rejectNextCount -= 1;
    order.willReject = true;
  }
  book.orders.push(order);
  if (input.resting) makeResting(book, order, input.resting);
  return order;
}

/**
 * Brings every order up to `now`: while the market is open, accepted orders
 * become `new`, and those whose fill time has come fill (or get rejected).
 * Called before every request, so state is exact without timers.
 */
export function settle(book: Book, now = Date.now()): void {
  for (const order of book.orders) {
    if (order.status !== 'pending_cancel') continue;
    // A cancel is asynchronous at Alpaca: it lands, or the order fills first.
    if (book.cancelLosesRace && book.marketOpen) complete(book, order, now);
    else cancelOrder(order, now);
    endSibling(book, order, now);
  }
  for (const symbol of new Set(book.orders.filter((o) => o.resting).map((o) => o.symbol))) {
    for (const order of restingToFill(book, symbol)) if (OPEN_STATUSES.has(order.status)) complete(book, order, now);
  }
  if (!book.marketOpen) return;
  for (const order of book.orders) {
    if (!OPEN_STATUSES.has(order.status)) continue;
    if (order.fillAt !== undefined && order.fillAt <= now) complete(book, order, now);
    else if (order.status === 'accepted') touch(order, 'new', now);
  }
}

/** Fills (or rejects) every open order now, whatever the mode, delay or market hours. */
export function fillOpenOrders(book: Book, now = Date.now()): OrderState[] {
  const done: OrderState[] = [];
  for (const order of book.orders) {
    if (!OPEN_STATUSES.has(order.status) || order.resting) continue;
    complete(book, order, now);
    done.push(order);
  }
  return done;
}

/** Ends every open order `expired`, as Alpaca does to day orders at the close. */
export function expireOpenOrders(book: Book, now = Date.now()): void {
  for (const order of book.orders) {
    // Good-till-cancelled orders outlive the session.
    if (!OPEN_STATUSES.has(order.status) || order.time_in_force === 'gtc') continue;
    touch(order, 'expired', now);
    order.expired_at = order.updated_at;
  }
}

/** Asks to cancel one open order: it turns `pending_cancel`, and ends at the next request (see `settle`). */
export function requestCancel(order: OrderState, now = Date.now()): void {
  touch(order, 'pending_cancel', now);
}

/** Cancels one open order. */
export function cancelOrder(order: OrderState, now = Date.now()): void {
  touch(order, 'canceled', now);
  order.canceled_at = order.updated_at;
}

/** Ends the other order of an OCO pair once one has filled or been cancelled. */
function endSibling(book: Book, order: OrderState, now: number): void {
  const sibling = ocoSibling(book, order);
  if (sibling && OPEN_STATUSES.has(sibling.status)) cancelOrder(sibling, now);
}

function touch(order: OrderState, status: string, now: number): void {
  order.status = status;
  order.updated_at = new Date(now).toISOString();
}

function complete(book: Book, order: OrderState, now: number): void {
  const price = book.price(order.symbol);
  if (order.willReject || price === undefined || !(price > 0)) {
    touch(order, 'rejected', now);
    order.failed_at = order.updated_at;
    return;
  }
  applyFill(book, order, price, now);
  endSibling(book, order, now);
}

/** Moves the position, the cash and the fill history as one execution at `price`. */
function applyFill(book: Book, order: OrderState, price: number, now: number): void {
  const qty = order.qty ?? round9((order.notional ?? 0) / price);
  const before = book.positions.get(order.symbol)?.qty ?? 0;
  const signed = order.side === 'buy' ? qty : -qty;
  const after = round9(before + signed);
  const prev = book.positions.get(order.symbol);
  if (after === 0) {
    book.positions.delete(order.symbol);
  } else if (before === 0 || Math.sign(before) !== Math.sign(after)) {
    book.positions.set(order.symbol, { symbol: order.symbol, qty: after, avgEntryPrice: price });
  } else if (Math.abs(after) > Math.abs(before)) {
    const avg = (Math.abs(before) * prev!.avgEntryPrice + qty * price) / Math.abs(after);
    book.positions.set(order.symbol, { symbol: order.symbol, qty: after, avgEntryPrice: avg });
  } else {
    book.positions.set(order.symbol, { symbol: order.symbol, qty: after, avgEntryPrice: prev!.avgEntryPrice });
  }
  book.cash -= signed * price;
  touch(order, 'filled', now);
  order.filled_at = order.updated_at;
  order.filled_qty = qty;
  order.filled_avg_price = price;
  const time = book.nextActivityTime();
  book.appendActivity({
    transaction_time: time.toISOString(),
    type: 'fill',
    price: dec(price, 4),
    qty: dec(qty),
    // Alpaca reports a sale that opens or adds to a short as `sell_short`.
    side: order.side === 'sell' && after < 0 ? 'sell_short' : order.side,
    symbol: order.symbol,
    leaves_qty: '0',
    order_id: order.id,
    cum_qty: dec(qty),
    order_status: 'filled',
  });
}
