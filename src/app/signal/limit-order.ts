/*
 * A leg made ready to send: as a limit order when its meaning says so (the
 * row's `order_type`), priced from the broker's last trade, and with the
 * timeout it is journaled with, so that whatever restarts in between, it is
 * cancelled in time.
 */
import { RejectedError } from '../../domain/errors';
import { assetClassOf, assetRules } from '../../domain/trading/broker-rules';
import type { RowSettings } from '../../domain/trading/config-cells';
import { DEFAULT_LIMIT_OFFSET_PCT, limitPriceFrom, limitQty } from '../../domain/trading/limit-price';
import type { LimitTerms, OrderMeaning } from '../../domain/trading/order-meaning';
import type { OrderRequest } from '../../domain/types';
import type { TradingContext } from '../context';
import { withRetry } from '../../shared/retry';

/** A leg as the strategies size it, before it goes: its side, and shares or dollars. */
export type LegOrder = Omit<OrderRequest, 'symbol' | 'clientOrderId' | 'referencePrice'>;

/** The row's `order_type` as limit terms; undefined for a market row (and a blank cell). */
export function rowLimit(row: Pick<RowSettings, 'orderType' | 'limitOffsetPct'> | undefined): LimitTerms | undefined {
  if (row?.orderType !== 'limit') return undefined;
  return { offsetPct: row.limitOffsetPct ?? DEFAULT_LIMIT_OFFSET_PCT };
}

/**
 * The leg as it goes, and its meaning as journaled. With `meaning.limit`: a
 * limit order `offsetPct` through the broker's last trade, on its tick, for
 * shares (dollars turned into shares at the limit; whole shares in extended
 * hours). A limit order, and every try of an exit after the first, carries a
 * timeout of LIMIT_TIMEOUT_SECONDS from now. RejectedError when the dollars
 * make no share at the limit.
 */
export async function readyLeg(
  ctx: TradingContext,
  symbol: string,
  order: LegOrder,
  meaning: OrderMeaning,
): Promise<{ order: LegOrder; meaning: OrderMeaning }> {
  const seconds = Math.round(ctx.timings.limitTimeoutMs / 1000);
  const deadline = new Date(ctx.clock.now().getTime() + ctx.timings.limitTimeoutMs).toISOString();
  const timed = meaning.limit !== undefined || meaning.attempt !== undefined;
  const timeout = timed ? { deadline, seconds } : undefined;
  if (!meaning.limit) return { order, meaning: timeout ? { ...meaning, timeout } : meaning };
  const last = await withRetry(ctx.clock, () => ctx.broker.getLatestPrice(symbol));
  const limitPrice = limitPriceFrom(order.side, last, meaning.limit.offsetPct, assetRules(ctx.broker.rules, assetClassOf(symbol)));
  const extendedHours = order.extendedHours === true || meaning.limit.extendedHours === true;
  const qty = limitQty(order, limitPrice, extendedHours);
  if (qty === undefined) throw new RejectedError(tooSmall(order, symbol, limitPrice, extendedHours));
  const limit: LimitTerms = extendedHours ? { ...meaning.limit, extendedHours } : meaning.limit;
  const priced: LegOrder = {
    side: order.side,
    qty,
    limitPrice,
    timeInForce: order.timeInForce,
    ...(extendedHours ? { extendedHours } : {}),
  };
  return { order: priced, meaning: { ...meaning, limit, timeout } };
}

/** Why a leg makes no share at its limit; in extended hours, that only whole shares trade there. */
function tooSmall(order: LegOrder, symbol: string, limitPrice: number, extendedHours: boolean): string {
  if (!extendedHours) return `the size is less than 1 share of ${symbol} at the limit $${limitPrice}`;
  const asked = order.notional !== undefined ? `$${order.notional}` : `${order.qty} shares`;
  const limit = `the extended-hours limit $${limitPrice}`;
  return `${asked} is less than 1 whole share of ${symbol} at ${limit} (extended hours trade whole shares only)`;
}
