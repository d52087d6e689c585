/**
 * Per-row mode, while orders are still working (queued while the market is
 * closed): a row's change that goes against another row's working order nets
 * out inside the symbol instead of reaching the broker as a wash trade, and
 * one that would sell shares the bot's own queued exit already holds waits
 * behind it instead of being refused by the broker.
 */
import { clientOrderId } from '../../domain/trading/client-order-id';
import { RejectedError } from '../../domain/errors';
import { roleOf } from '../../domain/trading/order-meaning';
import { netLegs } from '../../domain/trading/row-books';
import type { Order, Side } from '../../domain/types';
import type { OrderRecord } from '../../ports';
import { cancelAndWait } from '../orders/cancel-and-wait';
import type { TradingContext } from '../context';
import type { Holdings } from '../positions/holdings';
import { conclude } from '../outcome';
import { placeOrder } from '../orders/place-order';
import type { Ending } from './position-strategy';
import { withRetry } from '../../shared/retry';
import { rowQty } from '../positions/row-books';
import { jobLabel, type TradeJob } from '../trade-job';

/**
 * Nets `delta` (the row's signed change) against the other rows' working
 * orders on the other side, among the symbol's own open `orders`. Each such
 * order is superseded, cancelled and waited for; what it had not filled is
 * matched against `delta`: that much of both rows' changes is recorded at the
 * latest price, with no order. The other row keeps the rest of its move: what
 * its order still had to do is sent again for it, and a leg its order was to
 * set off (the rest of an exit across zero) still goes.
 * Returns how much of `delta` was netted (signed, same sign as `delta`).
 */
export async function netAgainstWorking(ctx: TradingContext, job: TradeJob, orders: Order[], delta: number): Promise<number> {
  const { symbol, timeframe } = job.signal;
  const against = orders.filter((o) => (o.side === 'buy') !== delta > 0 && o.qty !== undefined && otherRow(ctx, o, timeframe));
  let netted = 0;
  for (const working of against) {
    const left = Math.abs(delta) - Math.abs(netted);
    if (left <= 0) break;
    const record = ctx.journal.getOrder(working.clientOrderId)!;
    ctx.journal.markSuperseded(working.clientOrderId, job.signalId);
    const final = await cancelAndWait(ctx, working);
    await ctx.orders.settleNow(final.clientOrderId, false); // its fills so far go to its row; its meaning passes to what follows
    const owner: TradeJob = { signalId: record.signalId, signal: ctx.journal.getSignal(record.signalId)!.signal };
    const unfilled = (final.qty ?? working.qty ?? 0) - final.filledQty;
    const matched = Math.min(unfilled, left);
    if (matched > 0) {
      const price = await withRetry(ctx.clock, () => ctx.broker.getLatestPrice(symbol));
      const at = ctx.clock.now().getTime();
      const sign = delta > 0 ? 1 : -1;
      ctx.journal.applyRowChange({
        ref: `netted:${job.signalId}:${working.clientOrderId}:${record.book}`,
        symbol,
        timeframe: record.book!,
        qty: -sign * matched,
        price,
        source: 'netted',
        at,
      });
      ctx.journal.applyRowChange({
        ref: `netted:${job.signalId}:${working.clientOrderId}:${timeframe}`,
        symbol,
        timeframe,
        qty: sign * matched,
        price,
        source: 'netted',
        at,
      });
      netted += sign * matched;
      ctx.logger.info('rows.netted', { symbol, signal: job.signalId, row: timeframe, against: record.book, shares: matched, price });
    }
    await continueOwner(ctx, job, owner, record, final, unfilled - matched);
  }
  return netted;
}

/** True for a working order the bot sent for another row of the symbol (orders without a row are left alone). */
function otherRow(ctx: TradingContext, order: Order, timeframe: string): boolean {
  const book = ctx.journal.getOrder(order.clientOrderId)?.book;
  return book !== undefined && book !== timeframe;
}

/**
 * The other row after its order was netted: what it still has to do — the
 * order's unfilled, unmatched `rest`, plus a leg the order was to set off
 * (the rest of an exit across zero) — is sent for it from the symbol's net as
 * it is now, with its meaning, in one leg or two across zero. With nothing
 * left, its signal ends.
 */
async function continueOwner(
  ctx: TradingContext,
  by: TradeJob,
  owner: TradeJob,
  record: OrderRecord,
  final: Order,
  rest: number,
): Promise<void> {
  const next = record.meaning.next;
  const signed = (side: Side, qty: number) => (side === 'buy' ? qty : -qty);
  const remaining = signed(record.side, rest) + (next?.qty ? signed(next.side, next.qty) : 0);
  if (Math.abs(remaining) < 1e-9) return settleOwner(ctx, owner, final, by);
  const position = await withRetry(ctx.clock, () => ctx.broker.getPosition(owner.signal.symbol));
  const working = ctx.journal.workingOrders(owner.signal.symbol).filter((o) => o.role !== 'protective');
  const net = (position?.qty ?? 0) + working.reduce((sum, o) => sum + signed(o.side, (o.qty ?? 0) - (o.filledQty ?? 0)), 0);
  const legs = netLegs(net, net + remaining);
  const exposure = next?.exposure ?? (record.role === 'entry' ? 'entry' : 'exit');
  const meaning =
    legs.length === 2
      ? { role: 'exit' as const, next: { ...legs[1], exposure }, refusal: record.meaning.refusal }
      : { role: next ? roleOf(exposure, true) : record.role, refusal: record.meaning.refusal };
  return resend(ctx, by, owner, record, legs[0], meaning);
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

/**
 * Sends, for the other row, what it still has to do, with its meaning; its
 * signal settles when that ends. When the broker refuses it outright, the
 * other row's signal ends FAILED with the broker's reason (the netting
 * signal's own change is done either way).
 */
async function resend(
  ctx: TradingContext,
  by: TradeJob,
  owner: TradeJob,
  record: OrderRecord,
  leg: { side: Side; qty: number },
  meaning: OrderRecord['meaning'],
): Promise<void> {
  const placement =
    ctx.journal
      .ordersForSignal(owner.signalId)
      .filter((o) => o.clientOrderId.startsWith(clientOrderId(by.signalId, 'net', ctx.broker.rules))).length + 1;
  const request = {
    ...leg,
    symbol: owner.signal.symbol,
    clientOrderId: clientOrderId(by.signalId, 'net', ctx.broker.rules, placement),
    referencePrice: owner.signal.price,
  };
  let sent: Order;
  try {
    sent = await placeOrder(ctx, owner.signalId, meaning.next ? 'close' : 'net', request, meaning, {
      book: record.book,
      parent: record.clientOrderId,
    });
  } catch (err) {
    if (!(err instanceof RejectedError)) throw err;
    conclude(ctx, owner.signalId, owner.signal, {
      status: 'FAILED',
      reason: err.message,
      decision: `rejected when resent after netting with ${jobLabel(by)}`,
      sheet: true,
    });
    return;
  }
  ctx.logger.info('rows.resent', {
    symbol: owner.signal.symbol,
    row: record.book,
    for_signal: owner.signalId,
    by_signal: by.signalId,
    side: leg.side,
    qty: leg.qty,
    role: meaning.role,
  });
  ctx.orders.follow(sent);
}

/**
 * A row's first leg that the broker would refuse because the bot's own
 * queued orders hold the shares it sells (or buys back): the position is
 * long and queued sells already take all of it, or the mirror for a short.
 * The signal then waits behind the last such order and is traded again when
 * that order ends, instead of being sent now. Undefined when it can go.
 */
export function deferBehind(ctx: TradingContext, job: TradeJob, holdings: Holdings, leg: { side: Side; qty: number }): Ending | undefined {
  const closing = leg.side === 'sell' ? holdings.position > 0 : holdings.position < 0;
  if (!closing) return undefined;
  const queued = holdings.orders.filter((o) => o.side === leg.side);
  const held = holdings.working.filter((w) => w.side === leg.side).reduce((sum, w) => sum + w.qty, 0);
  if (queued.length === 0 || leg.qty <= Math.abs(holdings.position) - held + 1e-9) return undefined;
  const behind = queued[queued.length - 1];
  const owner = ctx.journal.getOrder(behind.clientOrderId);
  const ownerSignal = owner && ctx.journal.getSignal(owner.signalId);
  const label = ownerSignal ? jobLabel({ signalId: ownerSignal.id, signal: ownerSignal.signal }) : 'a queued order';
  ctx.journal.deferSignal(job.signalId, behind.clientOrderId);
  ctx.logger.info('rows.deferred', { signal: job.signalId, symbol: job.signal.symbol, behind: behind.clientOrderId, leg });
  return { kind: 'deferred', reason: `queued behind ${label}: sent once it fills` };
}
