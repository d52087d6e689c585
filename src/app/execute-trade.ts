import { describeError, RejectedError } from '../domain/errors';
import { wantsProtection } from '../domain/protection';
import { planTrade, type TradePlan, targetOf } from '../domain/trade-plan';
import type { TradingContext } from './context';
import { checkEntry, type EntryCheck } from './entry';
import { cancelAndSettle, type Holdings, heldSide, readHoldings } from './holdings';
import type { TradeStart } from './outcome';
import { cancelProtection } from './protection';
import { startRowTrade } from './row-trade';
import { retellSharedRows } from './shared-rows';
import type { TradeJob } from './trade-job';
import { refused, settled, startClose, startOpen, startScale } from './trade-legs';

/**
 * Trades one signal, inside its symbol's lock: plans from the position plus
 * the bot's own working orders (cancelling them first when the plan says),
 * checks and sizes any entry before anything is sent, then sends the first
 * leg. Resolves with the outcome to answer as soon as that is known; `rest`
 * follows the fills and a flip's second leg, and the caller keeps the lock
 * until it ends. An entry that is refused never blocks the exit before it.
 */
export async function startTrade(ctx: TradingContext, job: TradeJob, held?: Promise<Holdings>, replanned = false): Promise<TradeStart> {
  if (ctx.positionMode === 'per-row') return startRowTrade(ctx, job, held);
  try {
    const { plan, holdings, cancelled } = await planFromHoldings(ctx, job, held);
    if (plan.kind === 'hold') {
      if (!cancelled) return settled(ctx, job, plan.status, plan.reason, 'no order: ' + plan.reason);
      const reason = `cancelled ${cancelled} working order${cancelled > 1 ? 's' : ''}; ${plan.reason}`;
      const start = settled(ctx, job, plan.status, reason, 'no order: ' + reason);
      retellSharedRows(ctx, job, heldSide(holdings)); // the cancels changed what the symbol will hold
      return start;
    }
    if (plan.kind !== 'trade') throw new RejectedError('orders kept working after their cancel');
    const closedMarket = await ctx.guards.beforeOrders?.(job.signal);
    if (closedMarket) return refused(ctx, job, closedMarket);
    const entry = await checkEntry(ctx, job, plan, holdings);
    if (await unprotectFirst(ctx, plan, entry, holdings) && !replanned) return await startTrade(ctx, job, undefined, true);
    if (plan.close) return await startClose(ctx, job, plan.close, entry);
    if (entry && !entry.ok) return refused(ctx, job, entry.verdict);
    if (plan.scale) return await startScale(ctx, job, plan.scale);
    if (!entry?.ok || !entry.open) throw new Error('an opening plan always has a checked entry');
    return await startOpen(ctx, job, entry.open);
  } catch (err) {
    const reason = err instanceof RejectedError ? err.message : `broker unavailable: ${describeError(err)}`;
    ctx.logger.warn('signal.trade_error', { signal: job.signalId, symbol: job.signal.symbol, error: describeError(err) });
    return settled(ctx, job, 'FAILED', reason, 'error');
  }
}

/**
 * The plan from what the account holds (`held` when it was read already under
 * this lock); working orders it says to cancel are cancelled, and it is
 * planned again once they have ended.
 */
async function planFromHoldings(ctx: TradingContext, job: TradeJob, held?: Promise<Holdings>): Promise<{ plan: TradePlan; holdings: Holdings; cancelled: number }> {
  const { symbol } = job.signal;
  const target = targetOf(job.signal);
  // Alpaca holds protective exits only for whole shares, so a row that asks for them trades whole shares.
  const wholeShares = target.kind === 'scale' && (wantsProtection(job.row?.protection) || !(await ctx.assets.get(symbol)).fractionable);
  const direction = job.row?.direction ?? 'both';
  let holdings = await (held ?? readHoldings(ctx, job.signal));
  let plan = planTrade({ target, direction, position: holdings.position, working: holdings.working, wholeShares });
  if (plan.kind !== 'cancel') return { plan, holdings, cancelled: 0 };
  const cancelled = plan.orderIds.length;
  await cancelAndSettle(ctx, plan.orderIds, job);
  holdings = await readHoldings(ctx, job.signal);
  plan = planTrade({ target: plan.then, direction, position: holdings.position, working: holdings.working, wholeShares });
  return { plan, holdings, cancelled };
}

/**
 * Cancels the symbol's protective exits before a trade that will be sent,
 * and waits until the broker confirms each: a resting stop must never fill
 * after the position was closed another way, and it holds the shares a close
 * needs. True when one filled first: the position changed, so plan again.
 * Nothing is cancelled for an entry that is refused, or an exit a halt blocks.
 */
async function unprotectFirst(ctx: TradingContext, plan: TradePlan & { kind: 'trade' }, entry: EntryCheck | undefined, holdings: Holdings): Promise<boolean> {
  if (holdings.protection.length === 0) return false;
  const exits = plan.close !== undefined || plan.scale?.adds === false;
  if (!exits && !entry?.ok) return false;
  if (exits && (await ctx.guards.beforeLeg?.('exit'))) return false;
  return (await cancelProtection(ctx, holdings.protection)).length > 0;
}
