import { RejectedError } from '../../domain/errors';
import type { Order } from '../../domain/types';
import type { TradingContext } from '../context';
import { withRetry } from '../../shared/retry';

/** How long a cancel may take to land (or lose to a fill) before the caller gives up. */
export const CANCEL_SETTLE_MS = 10_000;

/**
 * Asks the broker to cancel the order and waits until it says the order
 * ended, cancelled or filled: a cancel is asynchronous and may lose to a
 * fill, so only then can the position be planned from. The final state is
 * fed to the reactor (journaled, its fills moving their books). RejectedError
 * when the order is still working after CANCEL_SETTLE_MS.
 */
export async function cancelAndWait(ctx: TradingContext, order: Pick<Order, 'id' | 'clientOrderId'>): Promise<Order> {
  await withRetry(ctx.clock, () => ctx.broker.cancelOrder(order.id));
  const seen = await withRetry(ctx.clock, () => ctx.broker.getOrder(order.id));
  ctx.orders.onOrder(seen);
  const final = seen.state === 'open' ? await ctx.orders.awaitFinal(seen, CANCEL_SETTLE_MS, 250) : seen;
  if (final.state === 'open') throw new RejectedError(`order ${order.id} is still working after its cancel`);
  return final;
}

/**
 * A working order's timeout came (the reactor's `Expire`): it is cancelled,
 * unless it ended meanwhile, and the reactor applies what its end means. A
 * cancel that loses to a fill leaves the fill, which is applied as any other.
 */
export async function expireOrder(ctx: TradingContext, clientOrderId: string): Promise<void> {
  const record = ctx.journal.getOrder(clientOrderId);
  if (!record?.brokerId || record.state === 'filled' || record.state === 'failed') return;
  ctx.logger.info('order.timed_out', { symbol: record.symbol, client_order_id: clientOrderId, deadline: record.meaning.timeout?.deadline });
  await cancelAndWait(ctx, { id: record.brokerId, clientOrderId });
}
