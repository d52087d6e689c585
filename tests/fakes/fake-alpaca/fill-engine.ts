/**
 * What happens to an order after Alpaca accepts it: it waits while the market
 * is closed, turns `new` once routed, then fills at the symbol's price (or
 * ends `rejected`, when the test asked for that). Like Alpaca, the POST always
 * answers `accepted`; the fill shows on a later GET. Every change is told to
 * `book.onOrderEvent` once its fields are set, as the trade_updates stream
 * reports it.
 */
import { randomUUID } from 'node:crypto';
import { type Book, dec, OPEN_STATUSES, round9 } from './book';
import { makeResting, ocoSibling, restingToFill, type RestingTerms } from './protective';
import { bareSymbol } from './shapes';
import type { Execution, OrderState } from './types';

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
  /** extended_hours=true: a DAY limit that also trades in pre-market and after-hours. */
  extended_hours?: boolean;
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
    extended_hours: input.extended_hours,
  };
  if (book.rejectNextCount > 0) {
    book.rejectNextCount -= 1;
    order.willReject = true;
  }
  book.orders.push(order);
  if (input.resting) makeResting(book, order, input.resting);
  // A working limit order follows the fill mode: in manual mode it waits for the test, as one the market never reaches.
  if (input.resting && input.time_in_force !== 'gtc' && (mode === 'manual' || book.limitsWait)) order.manual = true;
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
    if (book.cancelLosesRace && book.marketOpenFor(order.symbol)) complete(book, order, now);
    else cancelOrder(book, order, now);
    endSibling(book, order, now);
  }
  for (const symbol of new Set(book.orders.filter((o) => o.resting).map((o) => o.symbol))) {
    for (const order of restingToFill(book, symbol)) {
      if (!OPEN_STATUSES.has(order.status)) continue;
      route(book, order, now);
      complete(book, order, now);
    }
  }
  for (const order of book.orders) {
    // Crypto trades 24/7; a stock order waits for the open.
    if (!OPEN_STATUSES.has(order.status) || !book.marketOpenFor(order.symbol)) continue;
    // Routed first, then filled: the stream says `new` before `fill`, as Alpaca's does. Both
    // happen in this one call, so what REST shows afterwards is the same either way.
    route(book, order, now);
    if (order.fillAt !== undefined && order.fillAt <= now) complete(book, order, now);
  }
}

/** Fills (or rejects) every open order now, whatever the mode, delay or market hours; resting exits wait for their price. */
export function fillOpenOrders(book: Book, now = Date.now()): OrderState[] {
  const done: OrderState[] = [];
  for (const order of book.orders) {
    if (!OPEN_STATUSES.has(order.status) || (order.resting && !order.manual)) continue;
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
    tell(book, order, 'expired');
  }
}

/** Asks to cancel one open order: it turns `pending_cancel`, and ends at the next request (see `settle`). */
export function requestCancel(book: Book, order: OrderState, now = Date.now()): void {
  touch(order, 'pending_cancel', now);
  tell(book, order, 'pending_cancel');
}

/** Cancels one open order. */
export function cancelOrder(book: Book, order: OrderState, now = Date.now()): void {
  touch(order, 'canceled', now);
  order.canceled_at = order.updated_at;
  tell(book, order, 'canceled');
}

/**
 * Fills `qty` shares of an open order at the symbol's price, as one partial
 * execution; the order turns `partially_filled` (or `filled`, when `qty`
 * is all that was left). Throws when the order is not open or has no price.
 */
export function partialFill(book: Book, order: OrderState, qty: number, now = Date.now()): void {
  const price = book.price(order.symbol);
  if (!OPEN_STATUSES.has(order.status)) throw new Error(`order ${order.id} is ${order.status}, not open`);
  if (price === undefined || !(price > 0)) throw new Error(`no price for ${order.symbol}; setPrice first`);
  if (!(qty > 0)) throw new Error('a partial fill needs qty > 0');
  applyFill(book, order, price, now, qty);
}

/** Ends the other order of an OCO pair once one has filled or been cancelled. */
function endSibling(book: Book, order: OrderState, now: number): void {
  const sibling = ocoSibling(book, order);
  if (sibling && OPEN_STATUSES.has(sibling.status)) cancelOrder(book, sibling, now);
}

/** An accepted order reaches the market: `new`, told before any fill. */
function route(book: Book, order: OrderState, now: number): void {
  if (order.status !== 'accepted') return;
  touch(order, 'new', now);
  tell(book, order, 'new');
}

function touch(order: OrderState, status: string, now: number): void {
  order.status = status;
  order.updated_at = new Date(now).toISOString();
}

/** Tells the stream (if it listens) of a change whose fields are all set. */
function tell(book: Book, order: OrderState, event: string, execution?: Execution): void {
  book.onOrderEvent?.({ event, order, at: order.updated_at, execution });
}

function complete(book: Book, order: OrderState, now: number): void {
  const price = book.price(order.symbol);
  const held = book.positions.get(order.symbol)?.qty ?? 0;
  // Crypto is never short: a resting sell the coins no longer cover (its partner exit sold them) is cancelled.
  if (book.isCrypto(order.symbol) && order.side === 'sell' && book.leavesQty(order) > held + 1e-9) {
    cancelOrder(book, order, now);
    return;
  }
  if (order.willReject || price === undefined || !(price > 0)) {
    touch(order, 'rejected', now);
    order.failed_at = order.updated_at;
    tell(book, order, 'rejected');
    return;
  }
  applyFill(book, order, price, now);
  endSibling(book, order, now);
}

/**
 * Moves the position, the cash and the fill history as one execution at
 * `price`: of `qty` shares, or of all the order has left (a notional order's
 * dollars left, at this price).
 */
function applyFill(book: Book, order: OrderState, price: number, now: number, qty?: number): void {
  const spent = order.filled_qty * (order.filled_avg_price ?? 0);
  const leaves = order.qty !== undefined ? round9(order.qty - order.filled_qty) : round9(((order.notional ?? 0) - spent) / price);
  const execQty = qty === undefined ? leaves : Math.min(round9(qty), leaves);
  const before = book.positions.get(order.symbol)?.qty ?? 0;
  // Alpaca takes a crypto buy's fee from the coins bought, so the position holds less than the order filled.
  const received = order.side === 'buy' && book.isCrypto(order.symbol) ? round9(execQty * (1 - book.cryptoFee)) : execQty;
  const signed = order.side === 'buy' ? received : -execQty;
  const after = round9(before + signed);
  const prev = book.positions.get(order.symbol);
  if (after === 0) {
    book.positions.delete(order.symbol);
  } else if (before === 0 || Math.sign(before) !== Math.sign(after)) {
    book.positions.set(order.symbol, { symbol: order.symbol, qty: after, avgEntryPrice: price });
  } else if (Math.abs(after) > Math.abs(before)) {
    const avg = (Math.abs(before) * prev!.avgEntryPrice + Math.abs(signed) * price) / Math.abs(after);
    book.positions.set(order.symbol, { symbol: order.symbol, qty: after, avgEntryPrice: avg });
  } else {
    book.positions.set(order.symbol, { symbol: order.symbol, qty: after, avgEntryPrice: prev!.avgEntryPrice });
  }
  book.cash -= (order.side === 'buy' ? execQty : -execQty) * price;
  const done = execQty >= leaves;
  touch(order, done ? 'filled' : 'partially_filled', now);
  if (done) order.filled_at = order.updated_at;
  const cum = round9(order.filled_qty + execQty);
  order.filled_avg_price = order.filled_qty === 0 ? price : (spent + execQty * price) / cum;
  order.filled_qty = cum;
  const time = book.nextActivityTime();
  book.appendActivity({
    transaction_time: time.toISOString(),
    type: done ? 'fill' : 'partial_fill',
    price: dec(price, 4),
    qty: dec(execQty),
    // Alpaca reports a sale that opens or adds to a short as `sell_short`.
    side: order.side === 'sell' && after < 0 ? 'sell_short' : order.side,
    symbol: bareSymbol(order.symbol),
    leaves_qty: dec(round9(leaves - execQty)),
    order_id: order.id,
    cum_qty: dec(cum),
    order_status: order.status,
  });
  tell(book, order, done ? 'fill' : 'partial_fill', { id: randomUUID(), qty: execQty, price, positionQty: after });
}
