import { describeError, RejectedError } from '../../domain/errors';
import { opensExposure } from '../../domain/trading/trade-plan';
import type { TradingContext } from '../context';
import { type Holdings, heldSide, readHoldings } from '../positions/holdings';
import type { TradeStart } from '../outcome';
import type { Checked, Ending } from '../strategies/position-strategy';
import { cancelProtection, ensureProtection } from '../protection/protection';
import type { TradeJob } from '../trade-job';
import { ended, startFirstLeg } from './trade-legs';

/**
 * Trades one signal inside its symbol's lock, the same way in either
 * position mode: plan from what is held (cancelling working orders first when
 * the plan says, and planning again), the market-hours guard, the entry
 * checked and sized before anything is sent, the symbol's protective exits
 * cancelled before anything that will be sent, then the first leg. Resolves
 * with the outcome as soon as that is known; `rest` follows the order (and
 * whatever its fill sets off) while the lock is held. A refused entry never
 * blocks the exit before it; a trade that sends nothing leaves the
 * position's protection as the invariant wants it.
 */
export async function startTrade(ctx: TradingContext, job: TradeJob, held?: Promise<Holdings>, replanned = false): Promise<TradeStart> {
  const { strategy } = ctx;
  try {
    const planned = await strategy.plan(ctx, job, await (held ?? readHoldings(ctx, job.signal)));
    if (planned.kind === 'deferred') return ended(ctx, job, planned);
    if (planned.kind === 'hold') {
      const reason = planned.cancelled
        ? `cancelled ${planned.cancelled} working order${planned.cancelled > 1 ? 's' : ''}; ${planned.reason}`
        : planned.reason;
      if (planned.cancelled) strategy.retell(ctx, job, heldSide(planned.holdings)); // the cancels changed what the symbol will hold
      return await endWith(
        ctx,
        job,
        { kind: 'settled', status: planned.status, reason, decision: 'no order: ' + reason },
        planned.cancelled ? undefined : planned.holdings,
      );
    }
    const closedMarket = await ctx.guards.beforeOrders?.(job.signal, !opensExposure(planned.plan), job.row?.extendedHours === true);
    if (closedMarket) return await endWith(ctx, job, { kind: 'refused', verdict: closedMarket }, planned.holdings);
    const checked = await strategy.check(ctx, job, planned);
    if (checked.ending) return await endWith(ctx, job, checked.ending, planned.holdings);
    if ((await unprotectFirst(ctx, planned.holdings, checked)) && !replanned) return await startTrade(ctx, job, undefined, true);
    const first = await strategy.legs(ctx, job, planned, checked);
    if (first.kind !== 'send') return await endWith(ctx, job, first);
    const start = await startFirstLeg(ctx, job, first);
    // Refused before or at sending (a halt, or the broker's 403): nothing was sent, so the protection cancelled above goes back now.
    if (!start.rest) await ensureProtection(ctx, job.signal.symbol);
    return start;
  } catch (err) {
    const reason = err instanceof RejectedError ? err.message : `broker unavailable: ${describeError(err)}`;
    ctx.logger.warn('signal.trade_error', { signal: job.signalId, symbol: job.signal.symbol, error: describeError(err) });
    return endWith(ctx, job, { kind: 'settled', status: 'FAILED', reason, decision: 'error' });
  }
}

/** Ends the signal with nothing (more) sent, then checks the symbol's protection (a refused add or close puts it back at once). */
async function endWith(ctx: TradingContext, job: TradeJob, ending: Ending, known?: Holdings): Promise<TradeStart> {
  const start = ended(ctx, job, ending);
  await ensureProtection(ctx, job.signal.symbol, known);
  return start;
}

/**
 * Cancels the symbol's protective exits before a trade that will be sent,
 * and waits until the broker confirms each: a resting stop must never fill
 * after the position was closed another way, and it holds the shares an exit
 * needs. True when one filled first: the position changed, so plan again.
 * Nothing is cancelled for an exit a halt blocks (HALT_BLOCKS_CLOSE).
 */
async function unprotectFirst(ctx: TradingContext, holdings: Holdings, checked: Checked): Promise<boolean> {
  if (holdings.protection.length === 0) return false;
  if (checked.exitOnly && (await ctx.guards.beforeLeg?.('exit'))) return false;
  return (await cancelProtection(ctx, holdings.protection)).length > 0;
}
