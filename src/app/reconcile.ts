import { describeError } from '../domain/errors';
import type { TradingContext } from './context';
import { resumeStrandedOrders } from './recover';

/**
 * Checks the rows the journal believes hold a position against the broker.
 * When the position is gone (closed outside the bot, or by a stop order),
 * the row becomes WAITING and the event is logged, once per such outcome.
 * Runs under each symbol's lock so it never races a signal in flight.
 * Returns how many rows it changed.
 */
export async function reconcilePositions(ctx: TradingContext): Promise<number> {
  const believed = ctx.journal.rowsBelievedOpen().filter((r) => !ctx.journal.get(`reconciled:${r.signalId}`));
  if (believed.length === 0) return 0;
  const held = new Set((await ctx.broker.listPositions()).map((p) => p.symbol));
  let changed = 0;
  for (const row of believed.filter((r) => !held.has(r.symbol))) {
    await ctx.locks.run(row.symbol, async () => {
      // Re-read inside the lock: a signal may have changed the picture while we waited.
      const stillBelieved = ctx.journal.rowsBelievedOpen().some((r) => r.signalId === row.signalId);
      if (!stillBelieved || (await ctx.broker.getPosition(row.symbol))) return;
      ctx.journal.set(`reconciled:${row.signalId}`, new Date(ctx.clock.now()).toISOString());
      ctx.outbox.post(row.symbol, row.timeframe, 'WAITING', 'the position is no longer held at the broker');
      ctx.logger.warn('reconcile.position_gone', { symbol: row.symbol, timeframe: row.timeframe, was: row.status, signal: row.signalId });
      changed++;
    });
  }
  return changed;
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
