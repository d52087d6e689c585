import { describeError } from '../../domain/errors';
import type { Order } from '../../domain/types';
import type { OrderRecord } from '../../ports';
import type { TradingContext } from '../context';
import { rerunSignal } from '../signal/rerun';
import { jobOf, sendNextLeg } from './settle-order';

/** The reason recorded on an order the broker never received; such an order was never sent, it did not fail. */
export const NEVER_SENT = 'never reached the broker';

/**
 * Picks up what the journal shows unfinished after a restart. Every order
 * without a final state is looked up at the broker and fed to the reactor,
 * which applies its meaning when it has ended, or keeps following it. An
 * order that never reached the broker counts as not sent: a leg a filled
 * order was to set off is sent now (an entry only while young), and a signal
 * with nothing sent is traded again. Orders that ended without their meaning
 * applied (a restart between the two) have it applied now. Queued statuses are flushed.
 */
export async function recoverUnfinished(ctx: TradingContext): Promise<void> {
  const orders = ctx.journal.unfinishedOrders();
  const unsettled = ctx.journal.unsettledOrders();
  const signals = ctx.journal.workingSignals();
  if (orders.length || unsettled.length || signals.length)
    ctx.logger.info('recovery.start', { orders: orders.length, unsettled: unsettled.length, signals: signals.length });
  const lost: OrderRecord[] = [];
  for (const record of orders) {
    const found = await lookUp(ctx, record);
    if (found === null) lost.push(record);
    else if (found) ctx.orders.onOrder(found);
    if (found?.state === 'open') ctx.orders.follow(found);
  }
  for (const record of unsettled) await ctx.orders.settleLater(record.clientOrderId);
  for (const record of lost) await ctx.locks.run(record.symbol, () => resendLost(ctx, record));
  for (const record of ctx.journal.workingSignals()) {
    const inFlight = ctx.journal
      .ordersForSignal(record.id)
      .some((o) => o.state === 'pending' || o.state === 'open' || o.settledAt === undefined);
    if (inFlight || record.waitsFor) continue;
    await ctx.locks
      .run(record.signal.symbol, () => rerunSignal(ctx, record, 'the server restarted'))
      .catch((err) => ctx.logger.error('recovery.signal_failed', { signal: record.id, error: describeError(err) }));
  }
  ctx.outbox.kick();
}

/** The order at the broker; null when the broker never got it; undefined when that can't be told now (kept for the next start). */
async function lookUp(ctx: TradingContext, record: OrderRecord): Promise<Order | null | undefined> {
  try {
    const order = record.brokerId ? await ctx.broker.getOrder(record.brokerId) : await ctx.broker.findOrderByClientId(record.clientOrderId);
    if (order) ctx.logger.info('recovery.order_found', { client_order_id: record.clientOrderId, state: order.state });
    return order;
  } catch (err) {
    ctx.logger.warn('recovery.lookup_failed', { client_order_id: record.clientOrderId, error: describeError(err) });
    return undefined;
  }
}

/**
 * An order the broker never received. A leg a filled order was to set off
 * (a flip's opening leg, the rest of an exit) is sent now, under the same
 * client order id, as its parent's meaning says (an entry only while young);
 * anything else is marked never sent, and its signal is traded again if young.
 */
async function resendLost(ctx: TradingContext, record: OrderRecord): Promise<void> {
  if (ctx.journal.getOrder(record.clientOrderId)?.state !== 'pending') return; // sent meanwhile, by its parent's settlement
  const parent = record.parent ? ctx.journal.getOrder(record.parent) : undefined;
  const job = jobOf(ctx, record.signalId);
  if (parent?.meaning.next && parent.state === 'filled' && job && ctx.journal.getSignal(job.signalId)?.state !== 'done') {
    await sendNextLeg(ctx, job, parent, parent.filledQty ?? 0);
  }
  if (ctx.journal.getOrder(record.clientOrderId)?.state !== 'pending') return;
  ctx.journal.failOrder(record.clientOrderId, NEVER_SENT);
  ctx.logger.warn('recovery.order_never_sent', { client_order_id: record.clientOrderId });
}
