/**
 * What trading crypto changes, as pure rules: its orders live until filled or
 * cancelled (Alpaca takes only `gtc` or `ioc` for crypto), it is never sold
 * short, it has no trailing stops, and each asset states the smallest order
 * it takes.
 */
import { formatQty } from '../performance/money';
import { isCryptoSymbol } from '../signal/symbol';
import type { Asset, OrderRequest } from '../types';

/** Why a crypto row's short target opens nothing (the row shows WAITING with it). */
export const CRYPTO_NO_SHORT = "crypto can't be sold short";

/** Why a crypto row does not open with POSITION_MODE=per-row, whose row books hold whole shares. */
export const CRYPTO_SHARED_ONLY = 'crypto trades with POSITION_MODE=shared only';

/** Why a crypto row with `trail_pct` is FAILED. */
export const CRYPTO_NO_TRAIL = "trailing stops aren't offered for crypto";

/** The request as the broker takes it: a crypto order without a time in force lives until cancelled (`gtc`), never `day`. */
export function withTimeInForce(request: OrderRequest): OrderRequest {
  if (request.timeInForce !== undefined || request.resting || !isCryptoSymbol(request.symbol)) return request;
  return { ...request, timeInForce: 'gtc' };
}

/**
 * Why an opening crypto order is too small for the asset, or undefined: its quantity (a dollar amount's,
 * at `price`) under the asset's `min_order_size`. The reason names the minimum, as the trader must meet it.
 */
export function belowMinimum(asset: Asset, order: { qty?: number; notional?: number }, price: number | undefined): string | undefined {
  const min = asset.minOrderSize;
  if (min === undefined || !(min > 0)) return undefined;
  const qty = order.qty ?? (order.notional !== undefined && price !== undefined && price > 0 ? order.notional / price : undefined);
  if (qty === undefined || qty >= min - 1e-12) return undefined;
  return `order of ${formatQty(qty)} ${asset.symbol} is under the asset's min_order_size ${formatQty(min)}`;
}

/** A crypto quantity moved down onto the asset's `min_trade_increment`, so the broker takes it as it is. */
export function onIncrement(asset: Asset, qty: number): number {
  const step = asset.minTradeIncrement;
  if (step === undefined || !(step > 0)) return qty;
  const steps = Math.floor(qty / step + 1e-9);
  return Number((steps * step).toFixed(12));
}
