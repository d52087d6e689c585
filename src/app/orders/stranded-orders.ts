import { describeError } from '../../domain/errors';
import type { TradingContext } from '../context';

/** Longer than placeOrder can keep one submission pending (3 attempts of up to the SDK's 30 s timeout, plus backoff). */
const STRANDED_AFTER_MS = 5 * 60_000;

/**
 * Orders the journal holds unfinished that nothing has told about for a
 * while — a submission whose outcome stayed unknown after every retry, or an
 * order whose stream event was missed — are read again (by broker id, else by
 * client order id) and fed to the reactor, so the row ends up telling the
 * truth. Orders being polled are left to their poll; ended orders whose
 * meaning was left unapplied are settled. Returns how many orders were read.
 */
export async function resumeStrandedOrders(ctx: TradingContext, olderThanMs = STRANDED_AFTER_MS): Promise<number> {
  const now = ctx.clock.now().getTime();
  const stranded = ctx.journal.unfinishedOrders().filter((o) => now - o.updatedAt >= olderThanMs && !ctx.orders.isPolling(o.clientOrderId));
  for (const record of stranded) {
    try {
      const order = record.brokerId
        ? await ctx.broker.getOrder(record.brokerId)
        : await ctx.broker.findOrderByClientId(record.clientOrderId);
      if (!order) continue;
      ctx.orders.onOrder(order);
      if (order.state === 'open') ctx.orders.follow(order);
    } catch (err) {
      ctx.logger.warn('reconcile.order_lookup_failed', { client_order_id: record.clientOrderId, error: describeError(err) });
    }
  }
  // An order that ended but whose meaning could not be applied (a broker error midway) is tried again.
  for (const record of ctx.journal.unsettledOrders().filter((o) => now - o.updatedAt >= olderThanMs))
    await ctx.orders.settleLater(record.clientOrderId);
  return stranded.length;
}
