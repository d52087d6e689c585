/**
 * Alpaca's order rules, applied by the local paper broker with Alpaca's own
 * messages and statuses, so a strategy that works locally works on Alpaca.
 * Locally every asset is fractionable, shortable and easy to borrow, but crypto pairs, which are never short.
 */
import { RejectedError } from '../../domain/errors';
import { QTY_EPSILON } from '../../domain/performance/fifo';
import { formatQty } from '../../domain/performance/money';
import { assetRules, type BrokerRules, roundToTick } from '../../domain/trading/broker-rules';
import { isCryptoSymbol } from '../../domain/signal/symbol';
import type { OrderRequest } from '../../domain/types';
import { ALPACA_RULES } from '../alpaca/rules';

/** The rules the paper broker states (`Broker.rules`): Alpaca's, the same the checks below enforce. */
export const PAPER_RULES: BrokerRules = ALPACA_RULES;

/** The advice every missing-price rejection carries. */
export const PRICE_ADVICE =
  'The local paper broker fills at the alert\'s price: add "price": "{{close}}" to the TradingView alert message.';

/** What the rules need to know about the account and the symbol's position. */
export interface BookState {
  /** Signed shares held in the order's symbol (+ long, - short, 0 flat). */
  positionQty: number;
  buyingPower: number;
  shortingEnabled: boolean;
}

/** Alpaca's smallest notional order. */
const MIN_NOTIONAL = 1;

const isWhole = (x: number) => Math.abs(x - Math.round(x)) <= QTY_EPSILON;

/** 403 when the order would take the position through zero in one order. */
function flipError(requested: number, available: number): RejectedError {
  return new RejectedError(
    `insufficient qty available for order (requested: ${formatQty(requested)}, available: ${formatQty(available)})`,
    403,
  );
}

/** A crypto sale's quantity: never more than is held, as crypto is never short (Alpaca's 403). */
function cryptoSale(request: OrderRequest, price: number, held: number): number {
  const qty = request.qty ?? (request.notional as number) / price;
  if (qty > Math.max(0, held) + QTY_EPSILON) {
    const coin = request.symbol.split('/')[0];
    throw new RejectedError(
      `insufficient balance for ${coin} (requested: ${formatQty(qty)}, available: ${formatQty(Math.max(0, held))})`,
      403,
    );
  }
  return qty;
}

/** The fill price for a request: its reference price, or a rejection telling the trader how to send one. */
export function fillPrice(request: OrderRequest): number {
  const p = request.referencePrice;
  if (p === undefined || !Number.isFinite(p) || p <= 0) {
    throw new RejectedError(`no price for ${request.symbol}. ${PRICE_ADVICE}`, 422);
  }
  return p;
}

/** Alpaca's 422 for a limit price off its tick (a cent at $1 and above, a hundredth of a cent below). */
export function checkLimitPrice(limitPrice: number): void {
  if (!(limitPrice > 0) || Math.abs(roundToTick(limitPrice, assetRules(PAPER_RULES)) - limitPrice) > 1e-9) {
    throw new RejectedError('invalid limit_price. sub-penny increment does not fulfill minimum pricing criteria', 422);
  }
}

/** True when a limit order at `limitPrice` trades at `price`: a buy at or below it, a sell at or above it. */
export function limitReached(side: OrderRequest['side'], limitPrice: number, price: number): boolean {
  return side === 'buy' ? price <= limitPrice : price >= limitPrice;
}

/** Rejects malformed requests (Alpaca's 422s): exactly one positive qty or notional. */
export function checkShape(request: OrderRequest): void {
  const { qty, notional } = request;
  if (!request.symbol) throw new RejectedError('symbol is required', 422);
  if ((qty === undefined) === (notional === undefined)) {
    throw new RejectedError('exactly one of qty or notional is required', 422);
  }
  if (qty !== undefined && !(Number.isFinite(qty) && qty > QTY_EPSILON)) {
    throw new RejectedError('qty must be > 0', 422);
  }
  if (notional !== undefined && !(Number.isFinite(notional) && notional >= MIN_NOTIONAL)) {
    throw new RejectedError(`notional must be at least $${MIN_NOTIONAL.toFixed(2)}`, 422);
  }
}

/**
 * Alpaca's 422s for an order marked extended_hours: only a DAY limit order for whole shares may be
 * one. The local market keeps regular hours all day (see `getTradingDay`), so the bot sends none;
 * a request that does gets the refusal Alpaca would give.
 */
export function checkExtendedHours(request: OrderRequest): void {
  if (!request.extendedHours) return;
  if (request.limitPrice === undefined || (request.timeInForce ?? 'day') !== 'day') {
    throw new RejectedError('extended hours order must be DAY limit orders', 422);
  }
  if (request.notional !== undefined || !isWhole(request.qty ?? 0)) {
    throw new RejectedError('fractional orders cannot be extended hours', 422);
  }
}

/**
 * The quantity to fill at `price`, or the RejectedError Alpaca would answer:
 * no flip in one order, no fractional or notional shorts, notional only on
 * buys that open or add to a long, and enough buying power to open or add.
 * Closing or reducing a position needs no buying power.
 */
export function checkOrder(request: OrderRequest, price: number, book: BookState): number {
  checkShape(request);
  const held = book.positionQty;
  if (isCryptoSymbol(request.symbol) && request.side === 'sell') return cryptoSale(request, price, held);
  if (request.side === 'buy') {
    if (held < -QTY_EPSILON) {
      if (request.notional !== undefined) {
        throw new RejectedError('notional orders can only open or add to a long; cover a short with a whole-share qty', 422);
      }
      const qty = request.qty as number;
      if (qty > -held + QTY_EPSILON) throw flipError(qty, -held);
      if (!isWhole(qty)) throw new RejectedError('fractional orders cannot be sold short', 403);
      return qty;
    }
    // Alpaca sizes notional orders down to its 1e-9 share precision.
    const qty = request.qty ?? Math.floor(((request.notional as number) / price) * 1e9) / 1e9;
    if (qty * price > book.buyingPower + 0.005) throw new RejectedError('insufficient buying power', 403);
    return qty;
  }
  if (request.notional !== undefined) {
    if (held <= QTY_EPSILON) throw new RejectedError('fractional orders cannot be sold short', 403);
    throw new RejectedError('notional orders are only accepted for buys; sell a qty of shares', 422);
  }
  const qty = request.qty as number;
  if (held > QTY_EPSILON) {
    if (qty > held + QTY_EPSILON) throw flipError(qty, held);
    return qty;
  }
  if (!isWhole(qty)) throw new RejectedError('fractional orders cannot be sold short', 403);
  if (!book.shortingEnabled) throw new RejectedError('account is not allowed to short', 403);
  if (qty * price > book.buyingPower + 0.005) throw new RejectedError('insufficient buying power', 403);
  return qty;
}
