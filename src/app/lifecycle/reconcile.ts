import { findRow } from '../../domain/trading/config-table';
import { describeError } from '../../domain/errors';
import { wantsProtection } from '../../domain/trading/protection';
import type { TradingContext } from '../context';
import { ensureProtection } from '../protection/protection';
import { resumeStrandedOrders } from '../orders/stranded-orders';

/**
 * The protection invariant, checked and repaired for every symbol that wants
 * protection or still has some resting: one group for the whole shares, or
 * none. Each under its symbol's lock. The protection follows the row as the
 * sheet has it now: a row whose stop cells were cleared drops its protection,
 * changed percentages take effect (an unreadable Config changes nothing).
 */
export async function checkProtection(ctx: TradingContext): Promise<void> {
  const symbols = ctx.journal.protectedSymbols();
  if (symbols.length === 0) return;
  const table = await ctx.config.readFor(ctx.clock.now().getTime()).then(
    (c) => c.table,
    () => undefined,
  );
  for (const symbol of symbols) {
    await ctx.locks.run(symbol, async () => {
      const want = ctx.journal.protectionOf(symbol);
      const row = want && table && findRow(table, symbol, want.timeframe);
      if (want && row?.active) {
        const settings = wantsProtection(row.protection) ? row.protection : {};
        if (JSON.stringify(settings) !== JSON.stringify(want.settings)) {
          ctx.logger.info('protection.row_changed', { symbol, timeframe: want.timeframe, from: want.settings, to: settings });
          ctx.journal.setProtection(symbol, { ...want, settings });
        }
      }
      await ensureProtection(ctx, symbol);
    });
  }
}

/**
 * Runs, now and every `intervalMs`: orders whose events may have been missed
 * are read again, then the strategy's reconcile and the protection check;
 * failures are logged and the schedule goes on.
 */
export function scheduleReconcile(ctx: TradingContext, intervalMs: number): { stop(): void; runNow(): Promise<number> } {
  let running: Promise<number> | undefined;
  const runNow = () =>
    (running ??= resumeStrandedOrders(ctx)
      .then(() => ctx.strategy.reconcile(ctx))
      .then(async (changed) => {
        await checkProtection(ctx);
        return changed;
      })
      .catch((err) => {
        ctx.logger.warn('reconcile.failed', { error: describeError(err) });
        return 0;
      })
      .finally(() => (running = undefined)));
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}
