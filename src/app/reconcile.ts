import { PROTECTIVE_LEGS } from '../domain/client-order-id';
import { describeError } from '../domain/errors';
import type { ProtectiveLeg } from '../domain/protection';
import { filledPart, settleFilled } from './protection';
import type { Position } from '../domain/types';
import type { TradingContext } from './context';
import { resumeStrandedOrders } from './recover';
import { reconcileRowBooks } from './row-books';
import { claimedSide } from './shared-rows';

const sideOf = (p: Position | null | undefined) => (!p || p.qty === 0 ? undefined : p.qty > 0 ? 'long' : 'short');

/**
 * Checks the rows the journal believes hold a position against the broker,
 * side included. When the position is gone (closed outside the bot, or by a
 * stop order) or is on the other side, the row becomes WAITING and the event
 * is logged, once per such outcome. Runs under each symbol's lock so it never
 * races a signal in flight. Returns how many rows it changed. In per-row
 * mode each row's book is checked against the broker's net instead.
 */
export async function reconcilePositions(ctx: TradingContext): Promise<number> {
  if (ctx.positionMode === 'per-row') return reconcileRowBooks(ctx);
  const believed = ctx.journal.rowsBelievedOpen().filter((r) => !ctx.journal.get(`reconciled:${r.signalId}`));
  if (believed.length === 0) return 0;
  const held = new Map((await ctx.broker.listPositions()).map((p) => [p.symbol, sideOf(p)]));
  let changed = 0;
  for (const row of believed.filter((r) => held.get(r.symbol) !== claimedSide(ctx, r))) {
    await ctx.locks.run(row.symbol, async () => {
      // Re-read inside the lock: a signal may have changed the picture while we waited.
      const stillBelieved = ctx.journal.rowsBelievedOpen().find((r) => r.signalId === row.signalId);
      if (!stillBelieved || ctx.journal.get(`reconciled:${row.signalId}`)) return;
      const side = sideOf(await ctx.broker.getPosition(row.symbol));
      if (side === claimedSide(ctx, stillBelieved)) return;
      if (!side && (await protectiveFill(ctx, row.signalId))) return;
      ctx.journal.set(`reconciled:${row.signalId}`, new Date(ctx.clock.now()).toISOString());
      const reason = side ? `the broker holds ${row.symbol} ${side}` : 'the position is no longer held at the broker';
      ctx.outbox.post(row.symbol, row.timeframe, 'WAITING', reason);
      ctx.logger.warn(side ? 'reconcile.side_changed' : 'reconcile.position_gone', { symbol: row.symbol, timeframe: row.timeframe, was: row.status, held: side, signal: row.signalId });
      changed++;
    });
  }
  return changed;
}

/** When one of the signal's protective exits filled, the row says which and at what price; true when it did. */
async function protectiveFill(ctx: TradingContext, signalId: string): Promise<boolean> {
  const signal = ctx.journal.getSignal(signalId)?.signal;
  const job = signal && { signalId, signal };
  for (const record of ctx.journal.ordersForSignal(signalId).filter((o) => PROTECTIVE_LEGS.includes(o.leg as ProtectiveLeg) && o.brokerId)) {
    const fill = filledPart(await ctx.broker.getOrder(record.brokerId!));
    if (fill && job) {
      await settleFilled(ctx, job, fill);
      return true;
    }
  }
  return false;
}

/**
 * Runs, now and every `intervalMs`, the look-up of stranded orders and then
 * reconcilePositions; failures are logged and the schedule goes on.
 */
export function scheduleReconcile(ctx: TradingContext, intervalMs: number): { stop(): void; runNow(): Promise<number> } {
  let running: Promise<number> | undefined;
  const runNow = () =>
    (running ??= resumeStrandedOrders(ctx)
      .then(() => reconcilePositions(ctx))
      .catch((err) => {
        ctx.logger.warn('reconcile.failed', { error: describeError(err) });
        return 0;
      })
      .finally(() => (running = undefined)));
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}
