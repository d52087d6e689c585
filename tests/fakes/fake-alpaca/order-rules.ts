/**
 * The rules Alpaca applies to POST /v2/orders, in the order it applies them,
 * with its status codes and messages. A rule missing here is a rule the bot's
 * tests could silently break, so each one is documented in README.md.
 */
import { type Book, dec, round9 } from './book';
import type { NewOrder } from './fill-engine';
import { checkCryptoOrder } from './crypto-rules';
import { checkResting } from './protective';
import type { Reply } from './types';

/** Alpaca's error envelope. */
export function alpacaError(status: number, code: number, message: string): Reply {
  return { status, body: { code, message } };
}

const VALIDATION = 40010001;
const UNPROCESSABLE = 42210000;
const FORBIDDEN = 40310000;
const TIME_IN_FORCE = new Set(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']);

/** Parses a wire amount (string or number); NaN when present but not numeric. */
function amount(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
}

/** Either the order to accept, or Alpaca's refusal. */
export type RuleResult = { ok: true; order: NewOrder } | { ok: false; reply: Reply };

/** Checks a POST /v2/orders body against the book the way Alpaca does. */
export function checkOrder(book: Book, body: Record<string, unknown>): RuleResult {
  const no = (status: number, code: number, message: string): RuleResult => ({ ok: false, reply: alpacaError(status, code, message) });
  // BTCUSD and BTC/USD are one crypto asset.
  const symbol = typeof body.symbol === 'string' ? book.symbolOf(body.symbol) : '';
  const side = body.side;
  const tif = body.time_in_force;
  const clientId = body.client_order_id;
  if (!symbol) return no(422, VALIDATION, 'symbol is required');
  if (side !== 'buy' && side !== 'sell') return no(422, VALIDATION, 'side must be buy or sell');
  if (typeof tif !== 'string' || !TIME_IN_FORCE.has(tif)) return no(422, VALIDATION, 'invalid time_in_force');
  if (clientId !== undefined) {
    if (typeof clientId !== 'string' || clientId.length > 128)
      return no(422, VALIDATION, 'client_order_id must be no more than 128 characters');
    if (book.orders.some((o) => o.client_order_id === clientId)) return no(422, VALIDATION, 'client_order_id must be unique');
  }
  const qty = amount(body.qty);
  const notional = amount(body.notional);
  if (qty !== undefined && notional !== undefined) return no(422, VALIDATION, 'only one of qty or notional can be specified');
  if (qty === undefined && notional === undefined) return no(422, VALIDATION, 'qty or notional is required');
  if (qty !== undefined && !(qty > 0)) return no(422, VALIDATION, 'qty must be > 0');
  if (notional !== undefined && !(notional > 0)) return no(422, VALIDATION, 'notional must be > 0');
  if (notional !== undefined && Math.round(notional * 100) !== round9(notional * 100))
    return no(422, VALIDATION, 'notional must be limited to 2 decimal places');
  // Extended hours take only simple DAY limit orders (for whole shares: below, once the asset is known).
  const extended = body.extended_hours === true || body.extended_hours === 'true';
  const simple = body.order_class === undefined || body.order_class === 'simple' || body.order_class === '';
  if (extended && (body.type !== 'limit' || tif !== 'day' || !simple))
    return no(422, UNPROCESSABLE, 'extended hours order must be DAY limit orders');
  const crypto = book.isCrypto(symbol);
  // Crypto's own rules: see crypto-rules.ts.
  const cryptoRefusal = crypto ? checkCryptoOrder(book, body, symbol, qty, notional) : undefined;
  if (cryptoRefusal) return { ok: false, reply: cryptoRefusal };
  // Stop, stop-limit, limit, trailing stop and OCO orders: see protective.ts.
  const resting = checkResting(body, qty, notional, crypto);
  if (resting && 'reply' in resting) return { ok: false, reply: resting.reply };

  const asset = book.assets.get(symbol);
  if (!asset) return no(422, UNPROCESSABLE, `asset "${symbol}" not found`);
  if (!asset.tradable || asset.status !== 'active') return no(422, UNPROCESSABLE, `asset ${symbol} is not tradable`);
  const fractional = notional !== undefined || !Number.isInteger(qty);
  if (fractional && !asset.fractionable) return no(422, UNPROCESSABLE, `asset ${symbol} is not fractionable`);
  if (fractional && tif !== 'day' && !crypto) return no(422, VALIDATION, 'fractional orders must be DAY orders');
  if (fractional && extended) return no(422, VALIDATION, 'fractional orders cannot be extended hours');

  const order: NewOrder = {
    symbol,
    side,
    type: 'market',
    time_in_force: tif,
    qty,
    notional,
    client_order_id: clientId as string | undefined,
    resting: resting?.terms,
    extended_hours: extended || undefined,
  };
  const position = position0(book, symbol);
  if (book.openOrders(symbol).some((o) => o.side !== side)) return no(403, FORBIDDEN, 'potential wash trade detected. use complex orders');

  const requested = book.orderQty(order);
  // An order may close what is held, but not go beyond it: no flip in one order.
  const closing = (side === 'sell' && position > 0) || (side === 'buy' && position < 0);
  if (closing) {
    const available = Math.abs(book.qtyAvailable(symbol, resting !== undefined));
    if (requested > available + 1e-9) {
      return no(403, FORBIDDEN, `insufficient qty available for order (requested: ${dec(requested)}, available: ${dec(available)})`);
    }
    return { ok: true, order };
  }
  if (side === 'sell') {
    if (fractional) return no(403, FORBIDDEN, 'fractional orders cannot be sold short');
    if (!book.shortingEnabled()) return no(403, FORBIDDEN, 'account is not allowed to short');
    if (!asset.shortable) return no(403, FORBIDDEN, `asset ${symbol} is not shortable`);
    if (!asset.easy_to_borrow) return no(403, FORBIDDEN, `asset ${symbol} is not easy to borrow`);
  }
  const price = book.price(symbol);
  const cost = notional ?? requested * (price ?? 0);
  if (cost > book.buyingPower() + 1e-9) return no(403, FORBIDDEN, 'insufficient buying power');
  return { ok: true, order };
}

function position0(book: Book, symbol: string): number {
  return book.positions.get(symbol)?.qty ?? 0;
}
