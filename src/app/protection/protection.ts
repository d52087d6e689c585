/**
 * Protective exits held at the broker, kept to one invariant: after every
 * settled event, a position whose row asks for protection is covered by
 * exactly one protection group (one stop, target, trailing stop or OCO pair;
 * for crypto, a stop-limit and a target the bot pairs) for its whole shares,
 * and nothing else of the bot's rests for the symbol.
 * Prices come from domain/trading/protection.ts.
 */
import { sendAll } from '../../shared/send-all';
import { assetClassOf, assetRules } from '../../domain/trading/broker-rules';
import { clientOrderId, isProtectiveOrder } from '../../domain/trading/client-order-id';
import { describeError, RejectedError } from '../../domain/errors';
import { exitName, planProtection, type ProtectiveOrder, wantsProtection } from '../../domain/trading/protection';
import type { Order, Position, RestingTerms } from '../../domain/types';
import type { OrderRecord, PositionProtection } from '../../ports';
import type { TradingContext } from '../context';
import { cancelAndWait } from '../orders/cancel-and-wait';
import type { Holdings } from '../positions/holdings';
import { conclude } from '../outcome';
import { placeOrder } from '../orders/place-order';
import { withRetry } from '../../shared/retry';

const usd = (n: number) => `$${n.toFixed(2)}`;
const sideOf = (qty: number) => (qty > 1e-9 ? 'long' : qty < -1e-9 ? 'short' : undefined);

/**
 * Brings the symbol's protection to the invariant (the caller holds its
 * lock): nothing to do while one of the bot's trades is still working (its
 * settlement checks again); orphans of a flat or turned position are
 * cancelled; a missing or wrongly sized group is replaced. `known` is what a
 * trade just read, saving the reads. Costs no request for a symbol that has
 * neither protection wanted nor any resting.
 */
export async function ensureProtection(ctx: TradingContext, symbol: string, known?: Holdings): Promise<void> {
  const want = ctx.journal.protectionOf(symbol);
  const protects = want !== undefined && wantsProtection(want.settings);
  const resting = ctx.journal.workingOrders(symbol).some((o) => o.role === 'protective');
  if (!protects && !resting && !known?.protection.length) return;
  try {
    const { qty, avgEntry, orders } = known
      ? { qty: known.position, avgEntry: known.avgEntryPrice, orders: [...known.orders, ...known.protection] }
      : await readSymbol(ctx, symbol);
    if (orders.some((o) => !isProtectiveOrder(o.clientOrderId))) return;
    const groups = orders.filter((o) => isProtectiveOrder(o.clientOrderId));
    const held = sideOf(qty);
    if (!held || !want || !protects || want.side !== held) {
      if (!held && want) ctx.journal.setProtection(symbol, undefined);
      if (groups.length)
        await cancelGroups(ctx, symbol, groups, !held ? 'position flat' : want?.side === held ? 'row asks for none' : 'position turned');
      return;
    }
    const rules = assetRules(ctx.broker.rules, assetClassOf(symbol));
    const entry = want.entryPrice ?? avgEntry ?? 0;
    const planned = planProtection(want.settings, held, entry, Math.abs(qty), rules, ctx.cryptoStopLimitPct);
    if (!planned.orders.length) {
      if (groups.length) await cancelGroups(ctx, symbol, groups, 'nothing to protect');
      return unprotected(ctx, want, planned.problem ?? `${Math.abs(qty)} shares held, no whole share to protect`);
    }
    if (coversAll(groups, planned.orders)) return;
    if (groups.length && (await cancelGroups(ctx, symbol, groups, 'resized'))) return;
    // A stop and a target the broker can't pair go as two orders: the group is both, and this check keeps them together.
    for (const order of planned.orders) await place(ctx, want, symbol, order, planned.note);
  } catch (err) {
    if (want) unprotected(ctx, want, err instanceof RejectedError ? err.message : describeError(err));
    else ctx.logger.warn('protection.check_failed', { symbol, error: describeError(err) });
  }
}

/** How many of a symbol's newest signals are searched for the entry that decides its protection. */
export const ENTRY_LOOKBACK = 500;

/** Whether the signal has an entry order that filled and whose meaning was applied (its row then decided the protection). */
export function hasSettledEntry(ctx: TradingContext, signalId: string): boolean {
  return ctx.journal
    .ordersForSignal(signalId)
    .some((o) => o.role === 'entry' && o.state === 'filled' && (o.filledQty ?? 0) > 0 && o.settledAt !== undefined);
}

/** Whether the resting orders are the planned group: one each, same kind, side and quantity (prices may differ: a trail moves). */
function coversAll(resting: Order[], planned: ProtectiveOrder[]): boolean {
  const left = [...resting];
  for (const order of planned) {
    const i = left.findIndex((o) => covers(o, order));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return left.length === 0;
}

/** Whether one resting order is the planned one: same kind, side and quantity, an OCO with its leg. */
function covers(group: Order, planned: ProtectiveOrder): boolean {
  const type = planned.kind === 'oco' ? 'limit' : planned.kind;
  const paired = (group.legs?.length ?? 0) > 0;
  return group.side === planned.side && group.qty === planned.qty && group.type === type && paired === (planned.kind === 'oco');
}

async function readSymbol(ctx: TradingContext, symbol: string): Promise<{ qty: number; avgEntry?: number; orders: Order[] }> {
  const [position, orders] = await Promise.all([
    withRetry(ctx.clock, () => ctx.broker.getPosition(symbol)),
    withRetry(ctx.clock, () => ctx.broker.listOwnOpenOrders(symbol)),
  ]);
  return { qty: (position as Position | null)?.qty ?? 0, avgEntry: position?.avgEntryPrice, orders };
}

/** Cancels the groups and waits; true when one filled first (the position changed: its fill is settled, and the check ends). */
async function cancelGroups(ctx: TradingContext, symbol: string, groups: Order[], why: string): Promise<boolean> {
  const filled = await cancelProtection(ctx, groups);
  ctx.logger.info('protection.replaced_or_cleared', { symbol, why, cancelled: groups.length, filled: filled.length });
  return filled.length > 0;
}

/** Places the planned group under a client order id never used before, and follows it. */
async function place(ctx: TradingContext, want: PositionProtection, symbol: string, order: ProtectiveOrder, note?: string): Promise<void> {
  const resting = restingTerms(order);
  const placement = ctx.journal.ordersForSignal(want.signalId).filter((o) => o.leg === order.leg).length + 1;
  const coid = clientOrderId(want.signalId, order.leg, ctx.broker.rules, placement);
  let placed: Order;
  try {
    placed = await placeOrder(
      ctx,
      want.signalId,
      order.leg,
      { symbol, side: order.side, qty: order.qty, clientOrderId: coid, resting },
      { role: 'protective' },
    );
  } catch (err) {
    return unprotected(ctx, want, err instanceof RejectedError ? err.message : describeError(err));
  }
  if (placed.state === 'failed')
    return unprotected(ctx, want, `${exitName(placed.type)} order ${placed.status}: ${placed.reason ?? 'no reason given'}`);
  ctx.logger.info('protection.placed', {
    signal: want.signalId,
    symbol,
    kind: order.kind,
    qty: order.qty,
    order_id: placed.id,
    client_order_id: coid,
    note,
  });
  if (note) ctx.outbox.post(symbol, want.timeframe, 'FILLED', note);
  ctx.orders.follow(placed);
}

/** The broker's terms for one planned protective order. */
function restingTerms(order: ProtectiveOrder): RestingTerms {
  switch (order.kind) {
    case 'oco':
      return { type: 'oco', limitPrice: order.limitPrice, stopPrice: order.stopPrice };
    case 'stop':
      return { type: 'stop', stopPrice: order.stopPrice };
    case 'stop_limit':
      return { type: 'stop_limit', stopPrice: order.stopPrice, limitPrice: order.limitPrice };
    case 'limit':
      return { type: 'limit', limitPrice: order.limitPrice };
    case 'trailing_stop':
      return { type: 'trailing_stop', trailPercent: order.trailPercent };
  }
}

/** The row shows the position is open without protection, and every channel is told. */
function unprotected(ctx: TradingContext, want: Pick<PositionProtection, 'signalId' | 'timeframe'>, reason: string): void {
  const signal = ctx.journal.getSignal(want.signalId)?.signal;
  const symbol = signal?.symbol ?? '?';
  const text = `position open without protection: ${reason}`;
  ctx.logger.error('protection.failed', { signal: want.signalId, symbol, reason });
  ctx.outbox.post(symbol, want.timeframe, 'FAILED', text);
  const label = `${symbol} ${signal?.timeframeLabel ?? want.timeframe}`;
  void sendAll(
    ctx.notifiers ?? [],
    {
      kind: 'alert',
      title: `${symbol} ${text}`.slice(0, 120),
      text: `${label}: ${text}. The position stays open; decide what to do with it.`,
    },
    ctx.logger,
  );
}

/**
 * A protective order that ended. A fill (its own, or its OCO leg's) makes the
 * row WAITING "stop loss filled at $195.98" when that signal still has the
 * row's last word; only this group is touched, never protection placed
 * later. A cancel says nothing; a rejection or expiry leaves the position
 * unprotected, and says so (reconcile tries again).
 */
export async function settleProtective(ctx: TradingContext, record: OrderRecord, order: Order): Promise<void> {
  // An OCO pair ends as its target's cancel when its stop leg fills: read the pair, legs included, to see which.
  const pairMayHide = !filledPart(order) && order.type === 'limit' && order.legs === undefined && order.id;
  const final = pairMayHide ? await withRetry(ctx.clock, () => ctx.broker.getOrder(order.id)) : order;
  const fill = filledPart(final);
  const signal = ctx.journal.getSignal(record.signalId);
  if (!signal) return;
  if (!fill) {
    if (final.status !== 'canceled' && !record.supersededBy)
      unprotected(ctx, { signalId: signal.id, timeframe: signal.signal.timeframe }, `${exitName(final.type)} order ${final.status}`);
    return;
  }
  // An OCO pair ends cancelled while its stop leg filled: its record takes the leg's fill,
  // so the journal knows when the position went flat.
  if (fill !== final)
    ctx.journal.updateOrder(record.clientOrderId, {
      ...final,
      state: 'filled',
      status: fill.status,
      filledQty: fill.filledQty,
      filledAvgPrice: fill.filledAvgPrice,
    });
  const reason = `${exitName(fill.type)} filled at ${usd(fill.filledAvgPrice ?? 0)}`;
  // A newer signal of the row (one in flight, or one that traded again) has the row's last word.
  const latest = ctx.journal.rowsBelievedOpen().some((r) => r.signalId === signal.id);
  ctx.journal.markRetold(signal.id, ctx.clock.now().getTime());
  conclude(ctx, signal.id, signal.signal, { status: 'WAITING', reason, decision: reason, sheet: latest });
}

/** The order itself when it filled, else the leg of its OCO pair that did; undefined when nothing filled. */
export function filledPart(order: Order): Order | undefined {
  return [order, ...(order.legs ?? [])].find((o) => o.state === 'filled');
}

/**
 * Cancels protective orders and waits until the broker says each ended.
 * Returns those that filled first (the position has changed: plan again),
 * each settled at once; RejectedError when one is still working after its cancel.
 */
export async function cancelProtection(ctx: TradingContext, orders: Order[]): Promise<Order[]> {
  const filled: Order[] = [];
  for (const order of orders) {
    const final = await cancelAndWait(ctx, order);
    const fill = filledPart(final);
    ctx.logger.info('protection.cancelled', {
      symbol: final.symbol,
      order_id: order.id,
      client_order_id: final.clientOrderId,
      ended: fill ? 'filled' : final.status,
    });
    if (fill) filled.push(fill);
    await ctx.orders.settleNow(final.clientOrderId, false);
  }
  return filled;
}
