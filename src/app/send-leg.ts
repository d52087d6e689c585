import { clientOrderId, type OrderLeg } from '../domain/client-order-id';
import { AssetChangedError, RejectedError } from '../domain/errors';
import type { Order, OrderRequest } from '../domain/types';
import type { Exposure, GuardVerdict, TradingContext } from './context';
import { placeOrder } from './place-order';
import type { TradeJob } from './trade-job';

/** What became of one leg: sent, refused by a brake just before sending, or refused by the broker. */
export type LegResult =
  | { kind: 'sent'; order: Order }
  | { kind: 'refused'; verdict: GuardVerdict }
  | { kind: 'rejected'; reason: string };

/**
 * Sends one order leg of a signal. The halt and the breaker are checked
 * immediately before it goes, so a halt or POST /flatten reaches work already
 * under way: an entry decided before the halt is still never sent after it.
 * TemporaryError (outcome unknown after every retry) propagates. In per-row
 * mode its fills are attributed to the signal's own row.
 */
export async function sendLeg(
  ctx: TradingContext,
  job: TradeJob,
  leg: Extract<OrderLeg, 'close' | 'open' | 'scale'>,
  exposure: Exposure,
  order: Omit<OrderRequest, 'symbol' | 'clientOrderId' | 'referencePrice'>,
): Promise<LegResult> {
  const verdict = await ctx.guards.beforeLeg?.(exposure);
  if (verdict) {
    ctx.logger.warn('order.refused_before_send', { signal: job.signalId, leg, exposure, reason: verdict.reason });
    return { kind: 'refused', verdict };
  }
  try {
    const sent = await placeOrder(ctx, job.signalId, leg, {
      ...order, symbol: job.signal.symbol, clientOrderId: clientOrderId(job.signalId, leg), referencePrice: job.signal.price,
    }, ctx.positionMode === 'per-row' ? job.signal.timeframe : undefined);
    return { kind: 'sent', order: sent };
  } catch (err) {
    if (err instanceof AssetChangedError) {
      ctx.assets.forget(job.signal.symbol);
      ctx.logger.warn('asset.changed', { symbol: job.signal.symbol, reason: err.message });
    }
    if (err instanceof RejectedError) return { kind: 'rejected', reason: err.message };
    throw err;
  }
}
