import { findRow } from '../domain/config-table';
import { isProtectiveOrder } from '../domain/client-order-id';
import { describeError } from '../domain/errors';
import { wantsProtection } from '../domain/protection';
import type { TradingContext } from './context';
import { withRetry } from './retry';
import { protectPosition } from './protection';
import { claimedSide } from './shared-rows';

/**
 * At start-up: a protective order whose position is gone is cancelled (it
 * would open a new position if it filled), and a position whose row asks for
 * protection but holds none at the broker gets it placed, each with a log
 * line. Runs under each symbol's lock. Returns what it did.
 */
export async function restoreProtection(ctx: TradingContext): Promise<{ cancelled: number; placed: number }> {
  const [positions, orders] = await Promise.all([
    withRetry(ctx.clock, () => ctx.broker.listPositions()),
    withRetry(ctx.clock, () => ctx.broker.listOpenOrders()),
  ]);
  const protective = orders.filter((o) => isProtectiveOrder(o.clientOrderId));
  const heldSide = new Map(positions.map((p) => [p.symbol, p.qty > 0 ? 'long' : 'short']));
  let cancelled = 0;
  for (const order of protective) {
    // A long is protected by sells, a short by buys; anything else protects nothing.
    const protects = order.side === 'sell' ? 'long' : 'short';
    if (heldSide.get(order.symbol) === protects) continue;
    await ctx.locks.run(order.symbol, () => withRetry(ctx.clock, () => ctx.broker.cancelOrder(order.id)));
    ctx.logger.warn('protection.orphan_cancelled', { symbol: order.symbol, order_id: order.id, client_order_id: order.clientOrderId });
    cancelled++;
  }
  const guarded = new Set(protective.filter((o) => heldSide.get(o.symbol) === (o.side === 'sell' ? 'long' : 'short')).map((o) => o.symbol));
  let placed = 0;
  // Only rows whose position is held unguarded need the Config (and its Sheets read).
  const unguarded = ctx.journal.rowsBelievedOpen().filter((b) => !guarded.has(b.symbol) && heldSide.get(b.symbol) === claimedSide(ctx, b));
  // Per-row mode places no protection (a row's stop can't guard a netted position).
  if (unguarded.length === 0 || ctx.positionMode === 'per-row') return { cancelled, placed };
  let table;
  try {
    table = (await ctx.config.readFor(ctx.clock.now().getTime())).table;
  } catch (err) {
    ctx.logger.warn('protection.restore_skipped', { error: describeError(err) });
    return { cancelled, placed };
  }
  for (const believed of unguarded) {
    const row = findRow(table, believed.symbol, believed.timeframe);
    if (!row?.active || !wantsProtection(row.protection) || guarded.has(believed.symbol)) continue;
    const record = ctx.journal.getSignal(believed.signalId);
    if (!record) continue;
    guarded.add(believed.symbol);
    await ctx.locks.run(believed.symbol, async () => {
      ctx.logger.warn('protection.missing_at_start', { symbol: believed.symbol, timeframe: believed.timeframe, signal: believed.signalId });
      await protectPosition(ctx, { signalId: believed.signalId, signal: record.signal, row });
    });
    placed++;
  }
  return { cancelled, placed };
}
