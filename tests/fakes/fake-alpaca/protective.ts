/**
 * Resting exit orders as Alpaca holds them: `stop`, `limit` and
 * `trailing_stop` orders, and OCO pairs (`order_class: "oco"`, submitted as a
 * `limit` with `take_profit` and `stop_loss`; the response nests the stop as
 * its one leg in `legs`). They fill only when the symbol's price reaches
 * them, while the market is open (an extended-hours limit also in
 * pre-market and after-hours); one leg of an OCO filling cancels the
 * other, and cancelling the parent cancels both.
 */
import { randomUUID } from 'node:crypto';
import type { Book } from './book';
import { OPEN_STATUSES } from './book';
import { tradesNow } from './calendar';
import { cryptoTicksPerDollar } from './crypto-rules';
import type { OrderState, Reply } from './types';

const VALIDATION = 40010001;
const UNPROCESSABLE = 42210000;

/** The prices a resting order carries, parsed from the POST body. */
export interface RestingTerms {
  type: 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
  limit_price?: number;
  stop_price?: number;
  trail_percent?: number;
  /** For an OCO: the stop leg's trigger. */
  oco_stop?: number;
}

const num = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));
const error = (status: number, code: number, message: string): Reply => ({ status, body: { code, message } });

/** Alpaca's ticks: a cent at $1 and above, a hundredth of a cent below (crypto: see crypto-rules.ts). */
function offTick(price: number, crypto = false): boolean {
  const tick = crypto ? cryptoTicksPerDollar(price) : price >= 1 ? 100 : 10_000;
  return Math.abs(Math.round(price * tick) - price * tick) > 1e-6;
}

/**
 * Checks a non-market order body (or an OCO) the way Alpaca does; undefined
 * for a plain market order. Resting exits must be whole shares, but for crypto.
 */
export function checkResting(
  body: Record<string, unknown>,
  qty: number | undefined,
  notional: number | undefined,
  crypto = false,
): { terms: RestingTerms } | { reply: Reply } | undefined {
  const type = body.type ?? 'market';
  const orderClass = body.order_class;
  if (type === 'market' && (orderClass === undefined || orderClass === 'simple' || orderClass === '')) return undefined;
  if (orderClass !== undefined && orderClass !== 'simple' && orderClass !== '' && orderClass !== 'oco') {
    return { reply: error(422, VALIDATION, `fake-alpaca does not support order_class ${String(orderClass)}`) };
  }
  if (type !== 'limit' && type !== 'stop' && type !== 'stop_limit' && type !== 'trailing_stop')
    return { reply: error(422, VALIDATION, `invalid order type ${String(type)}`) };
  if (notional !== undefined) return { reply: error(422, VALIDATION, 'notional orders must be market orders') };
  if (!crypto && qty !== undefined && !Number.isInteger(qty) && body.time_in_force === 'gtc')
    return { reply: error(422, VALIDATION, 'fractional orders must be DAY orders') };
  const terms: RestingTerms = { type };
  if (orderClass === 'oco') {
    if (type !== 'limit') return { reply: error(422, VALIDATION, 'oco orders must be limit orders') };
    const tp = num((body.take_profit as Record<string, unknown> | undefined)?.limit_price);
    const sl = num((body.stop_loss as Record<string, unknown> | undefined)?.stop_price);
    if (tp === undefined || !(tp > 0)) return { reply: error(422, VALIDATION, 'oco orders require take_profit.limit_price') };
    if (sl === undefined || !(sl > 0)) return { reply: error(422, VALIDATION, 'oco orders require stop_loss.stop_price') };
    if (offTick(tp) || offTick(sl))
      return { reply: error(422, UNPROCESSABLE, 'invalid limit_price. sub-penny increment does not fulfill minimum pricing criteria') };
    const sellSide = body.side === 'sell';
    if (sellSide ? tp <= sl : tp >= sl) {
      return { reply: error(422, UNPROCESSABLE, `take_profit.limit_price must be ${sellSide ? '>' : '<'} stop_loss.stop_price`) };
    }
    return { terms: { type, limit_price: tp, oco_stop: sl } };
  }
  if (type === 'limit' || type === 'stop' || type === 'stop_limit') {
    // A stop-limit carries both: the trigger, and the limit it then rests at.
    const fields =
      type === 'stop_limit' ? (['stop_price', 'limit_price'] as const) : ([type === 'limit' ? 'limit_price' : 'stop_price'] as const);
    for (const field of fields) {
      const price = num(body[field]);
      if (price === undefined || !(price > 0)) return { reply: error(422, VALIDATION, `${field} is required`) };
      if (offTick(price, crypto))
        return { reply: error(422, UNPROCESSABLE, `invalid ${field}. sub-penny increment does not fulfill minimum pricing criteria`) };
      terms[field] = price;
    }
    return { terms };
  }
  const pct = num(body.trail_percent);
  if (body.trail_price !== undefined) return { reply: error(422, VALIDATION, 'fake-alpaca supports trail_percent only') };
  if (pct === undefined || !(pct > 0)) return { reply: error(422, VALIDATION, 'trail_percent is required for trailing_stop orders') };
  return { terms: { type, trail_percent: pct } };
}

/** Makes an accepted order rest at its prices; an OCO gets its stop leg, which the parent's POST answer nests. */
export function makeResting(book: Book, order: OrderState, terms: RestingTerms): void {
  order.type = terms.type;
  order.resting = true;
  order.fillAt = undefined;
  order.limit_price = terms.limit_price;
  order.stop_price = terms.stop_price;
  order.trail_percent = terms.trail_percent;
  if (terms.type === 'trailing_stop') {
    order.hwm = book.price(order.symbol);
    order.stop_price = trailStop(order);
  }
  if (terms.oco_stop === undefined) return;
  order.order_class = 'oco';
  const leg: OrderState = {
    ...order,
    id: randomUUID(),
    client_order_id: randomUUID(),
    type: 'stop',
    limit_price: undefined,
    stop_price: terms.oco_stop,
    parentId: order.id,
    legId: undefined,
    willReject: false,
  };
  order.legId = leg.id;
  book.orders.push(leg);
}

function trailStop(order: OrderState): number | undefined {
  if (order.hwm === undefined || order.trail_percent === undefined) return undefined;
  const factor = order.side === 'sell' ? 1 - order.trail_percent / 100 : 1 + order.trail_percent / 100;
  return Math.round(order.hwm * factor * 100) / 100;
}

/** True when the price reaches the resting order: a stop at or through its trigger, a limit at or better than its price. */
function triggered(order: OrderState, price: number): boolean {
  const sell = order.side === 'sell';
  const reachesLimit = () => (sell ? price >= order.limit_price! : price <= order.limit_price!);
  if (order.type === 'limit') return reachesLimit();
  if (order.stop_price === undefined) return false;
  const throughStop = sell ? price <= order.stop_price : price >= order.stop_price;
  // A stop-limit, once its stop is reached, is a limit order: it fills only at its limit or better.
  if (order.type === 'stop_limit') {
    order.stopTriggered ||= throughStop;
    return order.stopTriggered && reachesLimit();
  }
  return throughStop;
}

/**
 * Moves trailing stops with the price and returns the resting orders of
 * `symbol` that the price now reaches: in regular hours any of them; in
 * pre-market and after-hours only extended-hours limits (stops and trailing
 * stops never trigger there, as at Alpaca); none while the market is closed.
 */
export function restingToFill(book: Book, symbol: string): OrderState[] {
  const price = book.price(symbol);
  if (price === undefined) return [];
  const due: OrderState[] = [];
  for (const order of book.orders) {
    if (!order.resting || order.manual || order.symbol !== symbol || !OPEN_STATUSES.has(order.status)) continue;
    if (order.status === 'pending_cancel') continue;
    if (order.type === 'trailing_stop' && order.hwm !== undefined) {
      order.hwm = order.side === 'sell' ? Math.max(order.hwm, price) : Math.min(order.hwm, price);
      order.stop_price = trailStop(order);
    }
    if (tradesNow(book, order) && triggered(order, price)) due.push(order);
  }
  return due;
}

/** The other order of an OCO pair, if `order` is in one. */
export function ocoSibling(book: Book, order: OrderState): OrderState | undefined {
  const otherId = order.parentId ?? order.legId;
  return otherId ? book.orders.find((o) => o.id === otherId) : undefined;
}
