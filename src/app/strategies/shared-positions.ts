/**
 * POSITION_MODE=shared (the default): one position per symbol, shared by
 * all its Config rows. A signal plans the symbol's position toward its
 * target; when the position changes, the symbol's other rows are retold.
 */
import { assetClassOf, assetRules } from '../../domain/trading/broker-rules';
import type { OrderMeaning } from '../../domain/trading/order-meaning';
import { wantsProtection } from '../../domain/trading/protection';
import { planTrade, targetOf } from '../../domain/trading/trade-plan';
import { checkEntry, type EntryCheck } from '../positions/entry';
import type { TradingContext } from '../context';
import { cancelAndSettle, type Holdings, readHoldings } from '../positions/holdings';
import type { TradeJob } from '../trade-job';
import type { Checked, Ending, FirstLeg, PlanResult, PositionStrategy } from './position-strategy';
import { reconcilePositions } from './shared-reconcile';
import { planSharedEntry } from '../positions/row-books';
import { retellSharedRows } from '../positions/shared-rows';

/**
 * The bot's working limit entry that alone makes the symbol ALREADY LONG or ALREADY SHORT (the position itself is
 * not on that side yet), by client order id: it may still time out unfilled, so a signal asking for the same side
 * must not end on it.
 */
function workingLimitEntry(ctx: TradingContext, holdings: Holdings, status: string): string | undefined {
  const side = status === 'ALREADY LONG' ? 'buy' : status === 'ALREADY SHORT' ? 'sell' : undefined;
  if (!side || Math.sign(holdings.position) === (side === 'buy' ? 1 : -1)) return undefined;
  const timed = holdings.orders
    .map((o) => ctx.journal.getOrder(o.clientOrderId))
    .find((r) => r?.side === side && r.role === 'entry' && r.meaning.timeout !== undefined);
  return timed?.clientOrderId;
}

/** Waits behind the working limit entry: traded again, as new, once that order ends (filled, or timed out). */
function deferBehind(ctx: TradingContext, job: TradeJob, clientOrderId: string): PlanResult {
  ctx.journal.deferSignal(job.signalId, clientOrderId);
  ctx.logger.info('signal.deferred', { signal: job.signalId, symbol: job.signal.symbol, behind: clientOrderId });
  return { kind: 'deferred', reason: 'queued behind the working limit entry: traded once it fills or times out' };
}

/** The shared-position strategy. */
export const sharedPositions: PositionStrategy = {
  mode: 'shared',
  protects: true,

  async plan(ctx, job, held) {
    const { symbol } = job.signal;
    const target = targetOf(job.signal);
    const rules = assetRules(ctx.broker.rules, assetClassOf(symbol));
    // Where the broker rests exits only for whole shares (Alpaca), a row that asks for them trades whole shares.
    const protectsWhole = wantsProtection(job.row?.protection) && !rules.fractionalResting;
    const wholeShares = target.kind === 'scale' && (protectsWhole || !(await ctx.assets.get(symbol)).fractionable);
    const direction = job.row?.direction ?? 'both';
    let holdings = held;
    let plan = planTrade({ target, direction, position: holdings.position, working: holdings.working, wholeShares, rules });
    let cancelled = 0;
    if (plan.kind === 'cancel') {
      cancelled = plan.orderIds.length;
      await cancelAndSettle(ctx, holdings, plan.orderIds, job);
      holdings = await readHoldings(ctx, job.signal);
      plan = planTrade({ target: plan.then, direction, position: holdings.position, working: holdings.working, wholeShares, rules });
    }
    if (plan.kind === 'hold') {
      const behind = cancelled === 0 ? workingLimitEntry(ctx, holdings, plan.status) : undefined;
      if (behind) return deferBehind(ctx, job, behind);
      return { kind: 'hold', status: plan.status, reason: plan.reason, cancelled, holdings } satisfies PlanResult;
    }
    if (plan.kind !== 'trade') throw new Error('orders kept working after their cancel');
    return { kind: 'trade', plan, holdings };
  },

  async check(ctx, job, planned): Promise<Checked> {
    const { plan } = planned;
    const entry = await checkEntry(ctx, job, plan, planned.holdings);
    const exits = plan.close !== undefined || plan.scale?.adds === false;
    const ending: Ending | undefined = !exits && entry && !entry.ok ? { kind: 'refused', verdict: entry.verdict } : undefined;
    return { ending, exitOnly: !entry?.ok, detail: entry };
  },

  async legs(_ctx, job, planned, checked): Promise<FirstLeg> {
    const { plan } = planned;
    const entry = checked.detail as EntryCheck | undefined;
    // Every entry records its row as the position's; the row's cells (blank or not) decide its protection.
    const protect = job.row?.protection ?? {};
    if (plan.close) {
      const meaning: OrderMeaning = entry?.ok
        ? {
            role: 'exit',
            next: { side: entry.open!.side, qty: entry.open!.qty, notional: entry.open!.notional, exposure: 'entry', note: entry.note },
            protect,
          }
        : { role: 'exit', refusal: entry && !entry.ok ? entry.verdict : undefined };
      return { kind: 'send', leg: 'close', order: plan.close, meaning };
    }
    if (plan.scale) {
      const meaning: OrderMeaning = plan.scale.adds ? { role: 'entry', protect } : { role: 'exit' };
      return { kind: 'send', leg: 'scale', order: { side: plan.scale.side, qty: plan.scale.qty }, meaning };
    }
    if (!entry?.ok || !entry.open) throw new Error('an opening plan always has a checked entry');
    return {
      kind: 'send',
      leg: 'open',
      order: { side: entry.open.side, qty: entry.open.qty, notional: entry.open.notional },
      meaning: { role: 'entry', protect, note: entry.note },
    };
  },

  bookOf: () => undefined,
  filledStatus: () => 'FILLED',
  retell: retellSharedRows,
  reconcile: (ctx) => reconcilePositions(ctx),
  enter: (ctx) => planSharedEntry(ctx),
  flattenBooks: () => undefined,
};
