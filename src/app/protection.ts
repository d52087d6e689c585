/**
 * Protective exits held at the broker. After an entry fills, the row's stop
 * loss, take profit or trailing stop is placed for the whole shares held;
 * every trade cancels them first and waits until the broker confirms; when
 * one fills, the row says so. Prices come from domain/protection.ts.
 */
import { sendAll } from './send-all';
import { clientOrderId, isProtectiveOrder } from '../domain/client-order-id';
import { describeError, RejectedError } from '../domain/errors';
import { exitName, planProtection, type ProtectiveOrder, wantsProtection } from '../domain/protection';
import type { Order, Position, RestingTerms } from '../domain/types';
import type { TradingContext } from './context';
import { isSuperseded } from './holdings';
import { conclude } from './outcome';
import { awaitFinal, placeOrder } from './place-order';
import { withRetry } from './retry';
import type { TradeJob } from './trade-job';

/** How long a protective order's cancel may take to land (or lose to a fill). */
const CANCEL_SETTLE_MS = 10_000;

const usd = (n: number) => `$${n.toFixed(2)}`;
const sideOf = (p: Position | null) => (!p || p.qty === 0 ? undefined : p.qty > 0 ? 'long' : 'short');

/**
 * Places the row's protection for the position `job` left in its symbol,
 * at `entryPrice` (the opening fill's average price; the position's average
 * entry price when absent). Nothing when the row asks for none. A refusal
 * leaves the position open: the row shows FAILED "position open without
 * protection: <reason>" and every channel gets an alert.
 */
export async function protectPosition(ctx: TradingContext, job: TradeJob, entryPrice?: number): Promise<void> {
  const settings = job.row?.protection;
  // Per-row mode places none: a protective exit would guard every row's shares at once.
  if (!wantsProtection(settings) || ctx.positionMode === 'per-row') return;
  const { symbol } = job.signal;
  try {
    const position = await withRetry(ctx.clock, () => ctx.broker.getPosition(symbol));
    const held = sideOf(position);
    if (!position || !held) return;
    const planned = planProtection(settings, held, entryPrice ?? position.avgEntryPrice, Math.abs(position.qty));
    if (!planned.order) return unprotected(ctx, job, `${Math.abs(position.qty)} shares held, no whole share to protect`);
    const placed = await placeProtective(ctx, job.signalId, symbol, planned.order);
    if (placed.state === 'failed') return unprotected(ctx, job, `${exitName(placed.type)} order ${placed.status}: ${placed.reason ?? 'no reason given'}`);
    ctx.logger.info('protection.placed', { signal: job.signalId, symbol, kind: planned.order.kind, qty: planned.order.qty, order_id: placed.id, note: planned.note });
    if (planned.note) ctx.outbox.post(symbol, job.signal.timeframe, 'FILLED', planned.note);
    followProtective(ctx, job, placed);
  } catch (err) {
    unprotected(ctx, job, err instanceof RejectedError ? err.message : describeError(err));
  }
}

/** Protects what a filled entry order (an opening leg, or a size change) left held; the opening fill's price is the entry. */
export async function protectAfterFill(ctx: TradingContext, job: TradeJob, order: Order): Promise<void> {
  if (order.state !== 'filled' || isSuperseded(ctx, order.clientOrderId)) return;
  await protectPosition(ctx, job, order.clientOrderId.endsWith('-open') ? order.filledAvgPrice : undefined);
}

/** Sends one protective order, journaled under the signal (an OCO pair as its parent), and returns it as the broker holds it. */
async function placeProtective(ctx: TradingContext, signalId: string, symbol: string, order: ProtectiveOrder): Promise<Order> {
  const resting: RestingTerms =
    order.kind === 'oco' ? { type: 'oco', limitPrice: order.limitPrice, stopPrice: order.stopPrice }
    : order.kind === 'stop' ? { type: 'stop', stopPrice: order.stopPrice }
    : order.kind === 'limit' ? { type: 'limit', limitPrice: order.limitPrice }
    : { type: 'trailing_stop', trailPercent: order.trailPercent };
  return placeOrder(ctx, signalId, order.leg, { symbol, side: order.side, qty: order.qty, clientOrderId: clientOrderId(signalId, order.leg), resting });
}

/** A resting exit may wait for months: poll it gently (an OCO pair through its parent, whose `legs` show the stop). */
const PROTECTION_POLL_MS = 30_000;

/** Follows a protective order (an OCO pair by its parent) until it ends, then settles it. */
export function followProtective(ctx: TradingContext, job: TradeJob, order: Order): void {
  ctx.follower.follow(order, (final) => settleProtective(ctx, job, final), PROTECTION_POLL_MS);
}

/** The row shows the position is open without protection, and every channel is told. */
function unprotected(ctx: TradingContext, job: TradeJob, reason: string): void {
  const text = `position open without protection: ${reason}`;
  ctx.logger.error('protection.failed', { signal: job.signalId, symbol: job.signal.symbol, reason });
  ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'FAILED', text);
  void sendAll(ctx.notifiers ?? [], { kind: 'alert', title: `${job.signal.symbol} ${text}`.slice(0, 120), text: `${job.signal.symbol} ${job.signal.timeframeLabel}: ${text}. The position stays open; decide what to do with it.` }, ctx.logger);
}

/**
 * A protective order that ended. A fill makes the row WAITING "stop loss
 * filled at $195.98" (or take profit, trailing stop), and whatever else of
 * the bot's protection still rests for the symbol is cancelled and checked.
 * A cancel (by a trade, or by the OCO's other leg filling) says nothing; a
 * rejection or expiry leaves the position unprotected, and says so.
 */
export async function settleProtective(ctx: TradingContext, job: TradeJob, order: Order): Promise<void> {
  if (order.state === 'open') return;
  const fill = filledPart(order);
  if (!fill) {
    if (order.status !== 'canceled' && !isSuperseded(ctx, order.clientOrderId)) unprotected(ctx, job, `${exitName(order.type)} order ${order.status}`);
    return;
  }
  await ctx.locks.run(job.signal.symbol, async () => {
    if (ctx.journal.get(filledKey(fill.id))) return;
    await settleFilled(ctx, job, fill);
    const rest = (await withRetry(ctx.clock, () => ctx.broker.listOwnOpenOrders(job.signal.symbol))).filter((o) => o.id !== order.id);
    await cancelProtection(ctx, rest.filter((o) => isProtectiveOrder(o.clientOrderId)));
  });
}

const filledKey = (orderId: string) => `protection-filled:${orderId}`;

/** The order itself when it filled, else the leg of its OCO pair that did; undefined when nothing filled. */
export function filledPart(order: Order): Order | undefined {
  return [order, ...(order.legs ?? [])].find((o) => o.state === 'filled');
}

/**
 * Cancels protective orders and waits until the broker says each ended.
 * Returns those that filled first (the position has changed: plan again);
 * RejectedError when one is still working after its cancel.
 */
export async function cancelProtection(ctx: TradingContext, orders: Order[]): Promise<Order[]> {
  const filled: Order[] = [];
  for (const order of orders) {
    await withRetry(ctx.clock, () => ctx.broker.cancelOrder(order.id));
    const seen = await withRetry(ctx.clock, () => ctx.broker.getOrder(order.id));
    const final = seen.state === 'open' ? await awaitFinal(ctx, seen, CANCEL_SETTLE_MS, 250) : seen;
    if (final.state === 'open') throw new RejectedError(`protective order ${order.id} is still working after its cancel`);
    const fill = filledPart(final);
    ctx.logger.info('protection.cancelled', { symbol: final.symbol, order_id: order.id, client_order_id: final.clientOrderId, ended: fill ? 'filled' : final.status });
    if (fill) {
      filled.push(fill);
      const owner = ownerJob(ctx, final.clientOrderId);
      if (owner) await settleFilled(ctx, owner, fill);
    }
  }
  return filled;
}

/** Settles a protective fill found while the symbol's lock is already held (once per order). */
export async function settleFilled(ctx: TradingContext, job: TradeJob, fill: Order): Promise<void> {
  if (ctx.journal.get(filledKey(fill.id))) return;
  ctx.journal.set(filledKey(fill.id), job.signalId);
  // Reconcile would otherwise retell this row as merely "no longer held".
  ctx.journal.set(`reconciled:${job.signalId}`, ctx.clock.now().toISOString());
  const reason = `${exitName(fill.type)} filled at ${usd(fill.filledAvgPrice ?? 0)}`;
  // A newer signal of the row (one in flight, or one that already traded again) has the row's last word.
  const latest = ctx.journal.rowsBelievedOpen().some((r) => r.signalId === job.signalId);
  conclude(ctx, job.signalId, job.signal, { status: 'WAITING', reason, decision: reason, sheet: latest });
}

/** The journaled signal that placed a protective order, as a job. */
export function ownerJob(ctx: TradingContext, clientOrderId: string): TradeJob | undefined {
  const record = ctx.journal.getOrder(clientOrderId);
  const signal = record && ctx.journal.getSignal(record.signalId);
  return signal ? { signalId: signal.id, signal: signal.signal } : undefined;
}
