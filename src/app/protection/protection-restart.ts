import { findRow } from '../../domain/trading/config-table';
import { isProtectiveOrder } from '../../domain/trading/client-order-id';
import { describeError } from '../../domain/errors';
import { wantsProtection } from '../../domain/trading/protection';
import type { TradingContext } from '../context';
import { ENTRY_LOOKBACK, ensureProtection, hasSettledEntry } from './protection';
import { withRetry } from '../../shared/retry';
import { claimedSide } from '../positions/shared-rows';

/**
 * At start-up: a protective order whose position is gone is cancelled (it
 * would open a new position if it filled); a held position whose row asks
 * for protection but has none on record (a journal from before protection
 * was journaled) takes its row's; then every protected symbol is brought to
 * the invariant, each with a log line when its protection was missing.
 * Runs under each symbol's lock. Returns what it did.
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
    if (heldSide.get(order.symbol) === (order.side === 'sell' ? 'long' : 'short')) continue;
    await ctx.locks.run(order.symbol, () => withRetry(ctx.clock, () => ctx.broker.cancelOrder(order.id)));
    ctx.logger.warn('protection.orphan_cancelled', { symbol: order.symbol, order_id: order.id, client_order_id: order.clientOrderId });
    cancelled++;
  }
  if (ctx.strategy.protects) await adoptRowProtection(ctx, heldSide);
  const guarded = new Set(protective.filter((o) => heldSide.has(o.symbol)).map((o) => o.symbol));
  let placed = 0;
  for (const symbol of ctx.journal.protectedSymbols()) {
    const want = ctx.journal.protectionOf(symbol);
    if (want && wantsProtection(want.settings) && heldSide.get(symbol) === want.side && !guarded.has(symbol)) {
      ctx.logger.warn('protection.missing_at_start', { symbol, timeframe: want.timeframe, signal: want.signalId });
      placed++;
    }
    await ctx.locks.run(symbol, () => ensureProtection(ctx, symbol));
  }
  return { cancelled, placed };
}

/**
 * Rows believed to hold a position with no protection on record take their
 * Config row's, when it asks for some: only the row whose entry last filled,
 * as while running (a row that only answered ALREADY LONG, on a position
 * another row's entry opened without protection, takes none).
 */
async function adoptRowProtection(ctx: TradingContext, heldSide: Map<string, string>): Promise<void> {
  const enteredLast = (symbol: string) =>
    ctx.journal.recentSignals({ limit: ENTRY_LOOKBACK, symbol }).find((s) => hasSettledEntry(ctx, s.id))?.signal.timeframe;
  const unrecorded = ctx.journal
    .rowsBelievedOpen()
    .filter(
      (b) => !ctx.journal.protectionOf(b.symbol) && heldSide.get(b.symbol) === claimedSide(ctx, b) && enteredLast(b.symbol) === b.timeframe,
    );
  if (unrecorded.length === 0) return; // only then is the Config (a Sheets read) needed
  let table;
  try {
    table = (await ctx.config.readFor(ctx.clock.now().getTime())).table;
  } catch (err) {
    ctx.logger.warn('protection.restore_skipped', { error: describeError(err) });
    return;
  }
  for (const believed of unrecorded) {
    const row = findRow(table, believed.symbol, believed.timeframe);
    const side = heldSide.get(believed.symbol) as 'long' | 'short';
    if (!row?.active || !wantsProtection(row.protection) || ctx.journal.protectionOf(believed.symbol)) continue;
    ctx.journal.setProtection(believed.symbol, {
      signalId: believed.signalId,
      timeframe: believed.timeframe,
      side,
      settings: row.protection,
    });
  }
}
