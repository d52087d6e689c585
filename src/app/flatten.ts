import { BOT_ORDER_PREFIX } from '../domain/client-order-id';
import { describeError } from '../domain/errors';
import type { Order, Position } from '../domain/types';
import type { TradingContext } from './context';
import type { HaltState, KillSwitch } from './guards/kill-switch';
import { awaitFinal, placeOrder } from './place-order';
import { pollUntil, withRetry } from './retry';
import { closeRowBooks } from './row-books';

/** What POST /flatten did, for the trader to read. */
export interface FlattenReport {
  status: 'flattened' | 'incomplete';
  halt: HaltState;
  cancelled_orders: number;
  closed: { symbol: string; side: string; qty: number; order_id: string; state: string }[];
  failed: { symbol: string; reason: string }[];
  /** Config rows set to WAITING, as "SYMBOL timeframe". */
  rows_waiting: string[];
  /** Positions or orders still open at the end (should be empty). */
  remaining: string[];
}

/** How long to wait for cancels to land and closes to fill before reporting. */
const SETTLE_MS = 5_000;

/**
 * The emergency stop: halt trading first (so no new signal opens anything,
 * and the opening leg of a flip in progress, which re-checks the halt just
 * before it is sent, is never sent),
 * cancel every open order, close every position with a market order under its
 * symbol's lock (so a signal mid-flip finishes before its position is closed),
 * then mark the affected Config rows WAITING and report.
 */
export async function flattenAll(ctx: TradingContext, killSwitch: KillSwitch): Promise<FlattenReport> {
  const halt = killSwitch.halt('flatten');
  ctx.logger.warn('flatten.start', { halt_reason: halt.reason });
  const flattenId = `${BOT_ORDER_PREFIX}flatten-${ctx.clock.now().getTime().toString(36)}`;
  const openOrders = await withRetry(ctx.clock, () => ctx.broker.listOpenOrders());
  await cancelAll(ctx);
  const positions = await withRetry(ctx.clock, () => ctx.broker.listPositions());
  const closed: FlattenReport['closed'] = [];
  const failed: FlattenReport['failed'] = [];
  await Promise.all(positions.map((p) => ctx.locks.run(p.symbol, async () => {
    try {
      const order = await closePosition(ctx, flattenId, p.symbol);
      if (order?.state === 'filled' && ctx.positionMode === 'per-row') closeRowBooks(ctx, order);
      if (order) closed.push({ symbol: order.symbol, side: order.side, qty: order.qty ?? 0, order_id: order.id, state: order.state });
    } catch (err) {
      failed.push({ symbol: p.symbol, reason: describeError(err) });
      ctx.logger.error('flatten.close_failed', { symbol: p.symbol, error: describeError(err) });
    }
  })));
  const affected = new Set([...positions.map((p) => p.symbol), ...openOrders.map((o) => o.symbol)]);
  const rows_waiting = await markWaiting(ctx, affected);
  const remaining = await leftOpen(ctx, closed);
  const report: FlattenReport = {
    status: failed.length || remaining.length ? 'incomplete' : 'flattened',
    halt, cancelled_orders: openOrders.length, closed, failed, rows_waiting, remaining,
  };
  ctx.logger.warn('flatten.done', { status: report.status, cancelled: report.cancelled_orders, closed: closed.length, failed: failed.length, remaining });
  return report;
}

/** Cancels everything and waits briefly for the cancels to land: a close can't be sent against shares held by an open order. */
async function cancelAll(ctx: TradingContext): Promise<void> {
  await withRetry(ctx.clock, () => ctx.broker.cancelAllOrders());
  const deadline = ctx.clock.now().getTime() + SETTLE_MS;
  const listOpen = () => ctx.broker.listOpenOrders();
  await pollUntil(ctx.clock, await listOpen(), listOpen, (open) => open.length === 0, { deadline, pauseMs: () => 200 });
}

/** Closes the live position in `symbol` (re-read under the lock); null when it is already flat. */
async function closePosition(ctx: TradingContext, flattenId: string, symbol: string): Promise<Order | null> {
  const position: Position | null = await withRetry(ctx.clock, () => ctx.broker.getPosition(symbol));
  if (!position || position.qty === 0) return null;
  const order = await placeOrder(ctx, flattenId, 'flatten', {
    symbol, side: position.qty > 0 ? 'sell' : 'buy', qty: Math.abs(position.qty),
    clientOrderId: `${flattenId}-${symbol}`,
    // Only the local paper broker fills at a reference price; Alpaca ignores it.
    referencePrice: position.currentPrice ?? Math.abs(position.marketValue / position.qty),
  });
  const final = await awaitFinal(ctx, order, SETTLE_MS, 500);
  if (final.state === 'open') ctx.follower.follow(final, (f) => ctx.logger.info('flatten.order_final', { symbol, state: f.state, reason: f.reason }));
  return final;
}

/** Sets every active Config row of the affected symbols to WAITING. */
async function markWaiting(ctx: TradingContext, symbols: Set<string>): Promise<string[]> {
  if (symbols.size === 0) return [];
  try {
    const { table } = await ctx.config.readFor(ctx.clock.now().getTime());
    // An inactive row keeps saying INACTIVE: that is still the truer word for it.
    const rows = table.rows.filter((r) => r.active && symbols.has(r.symbol));
    for (const r of rows) ctx.outbox.post(r.symbol, r.timeframe, 'WAITING', 'flattened');
    return rows.map((r) => `${r.symbol} ${r.timeframeLabel}`);
  } catch (err) {
    ctx.logger.warn('flatten.rows_not_marked', { error: describeError(err) });
    return [];
  }
}

/** Whatever is still open at the broker, ignoring our own closes that are still working. */
async function leftOpen(ctx: TradingContext, closed: FlattenReport['closed']): Promise<string[]> {
  try {
    const stillWorking = closed.filter((c) => c.state === 'open');
    const working = new Set(stillWorking.map((c) => c.order_id));
    const closing = new Set(stillWorking.map((c) => c.symbol));
    const [positions, orders] = await Promise.all([ctx.broker.listPositions(), ctx.broker.listOpenOrders()]);
    return [
      ...positions.filter((p) => !closing.has(p.symbol)).map((p) => `position ${p.symbol} ${p.qty}`),
      ...orders.filter((o) => !working.has(o.id)).map((o) => `order ${o.symbol} ${o.side} ${o.id}`),
    ];
  } catch (err) {
    return [`unknown: ${describeError(err)}`];
  }
}
