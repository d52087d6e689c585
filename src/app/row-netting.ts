/**
 * Per-row mode, while orders are still working (queued while the market is
 * closed): a row's change that goes against another row's working order nets
 * out inside the symbol instead of reaching the broker as a wash trade.
 */
import { clientOrderId } from '../domain/client-order-id';
import { RejectedError } from '../domain/errors';
import type { Order } from '../domain/types';
import type { TradingContext } from './context';
import { markSuperseded } from './holdings';
import { conclude } from './outcome';
import { awaitFinal, placeOrder } from './place-order';
import { withRetry } from './retry';
import { rowQty } from './row-books';
import { settleEntry } from './settle';
import { jobLabel, type TradeJob } from './trade-job';

/** How long a cancel may take to land (or lose to a fill). */
const CANCEL_SETTLE_MS = 10_000;

/**
 * Nets `delta` (the row's signed change) against the other rows' working
 * orders on the other side, among the symbol's own open `orders`. Each such order is cancelled and waited for; what
 * it had not filled is matched against `delta`: that much of both rows'
 * changes is recorded at the latest price, with no order. What the other row
 * still wants is sent again for it (a smaller order, its fills its own).
 * Returns how much of `delta` was netted (signed, same sign as `delta`).
 */
export async function netAgainstWorking(ctx: TradingContext, job: TradeJob, orders: Order[], delta: number): Promise<number> {
  const { symbol, timeframe } = job.signal;
  const against = orders.filter((o) => (o.side === 'buy') !== (delta > 0) && o.qty !== undefined && otherRow(ctx, o, timeframe));
  let netted = 0;
  for (const working of against) {
    const left = Math.abs(delta) - Math.abs(netted);
    if (left <= 0) break;
    const record = ctx.journal.getOrder(working.clientOrderId)!;
    await withRetry(ctx.clock, () => ctx.broker.cancelOrder(working.id));
    const read = await withRetry(ctx.clock, () => ctx.broker.getOrder(working.id));
    const final = read.state === 'open' ? await awaitFinal(ctx, read, CANCEL_SETTLE_MS, 250) : read;
    if (final.state === 'open') throw new RejectedError(`order ${working.id} is still working after its cancel`);
    ctx.journal.updateOrder(final.clientOrderId, final); // its fills so far go to its row
    markSuperseded(ctx, final.clientOrderId, job.signalId);
    const owner = { signalId: record.signalId, signal: ctx.journal.getSignal(record.signalId)!.signal };
    const unfilled = (final.qty ?? working.qty ?? 0) - final.filledQty;
    const matched = Math.min(unfilled, left);
    if (matched > 0) {
      const price = await withRetry(ctx.clock, () => ctx.broker.getLatestPrice(symbol));
      const at = ctx.clock.now().getTime();
      const sign = delta > 0 ? 1 : -1;
      ctx.journal.applyRowChange({ ref: `netted:${job.signalId}:${working.clientOrderId}:${record.book}`, symbol, timeframe: record.book!, qty: -sign * matched, price, source: 'netted', at });
      ctx.journal.applyRowChange({ ref: `netted:${job.signalId}:${working.clientOrderId}:${timeframe}`, symbol, timeframe, qty: sign * matched, price, source: 'netted', at });
      netted += sign * matched;
      ctx.logger.info('rows.netted', { symbol, signal: job.signalId, row: timeframe, against: record.book, shares: matched, price });
    }
    const rest = unfilled - matched;
    if (rest > 0) await resend(ctx, job, owner, record.book!, { side: working.side, qty: rest });
    else settleOwner(ctx, owner, final, job);
  }
  return netted;
}

/** True for a working order the bot sent for another row of the symbol (orders without a row are left alone). */
function otherRow(ctx: TradingContext, order: Order, timeframe: string): boolean {
  const book = ctx.journal.getOrder(order.clientOrderId)?.book;
  return book !== undefined && book !== timeframe;
}

/** The other row got all its order asked for (filled, or netted): it holds what its signal asked. */
function settleOwner(ctx: TradingContext, owner: TradeJob, final: Order, by: TradeJob): void {
  if (ctx.journal.getSignal(owner.signalId)?.state === 'done') return;
  const flat = rowQty(ctx, owner.signal.symbol, owner.signal.timeframe) === 0;
  conclude(ctx, owner.signalId, owner.signal, {
    status: flat ? 'WAITING' : 'FILLED',
    reason: final.filledQty < (final.qty ?? 0) ? `netted inside ${owner.signal.symbol} with ${jobLabel(by)}` : undefined,
    decision: `netted with ${jobLabel(by)}`,
    sheet: true,
  });
}

/** Sends again, for the other row, what its cancelled order still had to do; its signal settles when that fills. */
async function resend(ctx: TradingContext, by: TradeJob, owner: TradeJob, book: string, leg: { side: Order['side']; qty: number }): Promise<void> {
  const request = { ...leg, symbol: owner.signal.symbol, clientOrderId: clientOrderId(by.signalId, 'net'), referencePrice: owner.signal.price };
  const sent = await placeOrder(ctx, owner.signalId, 'net', request, book);
  ctx.logger.info('rows.resent', { symbol: owner.signal.symbol, row: book, for_signal: owner.signalId, by_signal: by.signalId, side: leg.side, qty: leg.qty });
  const held = leg.side === 'buy' ? 'long' : 'short';
  ctx.follower.follow(sent, (final) => ctx.locks.run(owner.signal.symbol, async () => settleEntry(ctx, owner, final, held)));
}
