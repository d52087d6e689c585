import { describeError } from '../../domain/errors';
import { assetRules } from '../../domain/trading/broker-rules';
import { wantsProtection } from '../../domain/trading/protection';
import { type OpenSize, opensByDollars, sizeOpenLeg, type TradePlan } from '../../domain/trading/trade-plan';
import type { Signal } from '../../domain/types';
import type { Exposure, GuardVerdict, TradingContext } from '../context';
import type { Holdings } from './holdings';
import { sizingPrice } from './sizing-price';
import type { TradeJob } from '../trade-job';

/** The entry of a plan, checked and sized before anything is sent; or why it must not be sent. */
export type EntryCheck =
  /**
   * `exposure` of the opening leg: an entry, unless (per-row) it only carries
   * the rest of a row's exit across zero; `refusal` is then why the row's own entry was not made.
   */
  { ok: true; open?: OpenSize & { ok: true }; exposure?: Exposure; refusal?: GuardVerdict } | { ok: false; verdict: GuardVerdict };

const failed = (reason: string): EntryCheck => ({ ok: false, verdict: { status: 'FAILED', reason, sheetStatus: 'FAILED' } });

/**
 * Checks the plan's entry (an opening leg, or a scale that adds) before any
 * order goes out: it needs a readable, valid row, a signal that is not stale, the halt and the breaker
 * must allow it, then the entry filters, it must size to at least one share, and MAX_POSITION_USD
 * must hold for the order and the position it leaves. Undefined when the
 * plan has no entry. The entry filters (trade_window, cooldown_min,
 * MAX_OPEN_POSITIONS) may make it wait. Exits never come here, so nothing here can block one.
 */
export async function checkEntry(ctx: TradingContext, job: TradeJob, plan: TradePlan, holdings: Holdings): Promise<EntryCheck | undefined> {
  if (plan.kind !== 'trade' || !(plan.open || plan.scale?.adds)) return undefined;
  if (!job.row) return failed(job.rowProblem ?? 'config unavailable');
  if (job.row.problem) return failed(job.row.problem);
  if (job.late) return { ok: false, verdict: job.late };
  const halted = await ctx.guards.beforeLeg?.('entry');
  if (halted) return { ok: false, verdict: halted };
  // Opening from flat (not a flip, not an add): the cooldown counts from the fill that left the symbol flat, and it opens a new symbol.
  const fromFlat = plan.open !== undefined && !plan.close && Math.abs(holdings.position) < 1e-9 && holdings.working.length === 0;
  const filtered = await ctx.guards.filterEntry?.({
    symbol: job.signal.symbol,
    row: job.row,
    flatSince: fromFlat && job.row.cooldownMin !== undefined ? ctx.journal.lastFlatAt(job.signal.symbol) : undefined,
    opensSymbol: fromFlat,
  });
  if (filtered) return { ok: false, verdict: filtered };
  try {
    if (plan.open) {
      const fetched = await ctx.assets.get(job.signal.symbol);
      const rules = assetRules(ctx.broker.rules);
      // A row with protective exits opens in whole shares where the broker rests exits only for those (Alpaca).
      const asset = wantsProtection(job.row.protection) && !rules.fractionalResting ? { ...fetched, fractionable: false } : fetched;
      const price = opensByDollars(plan.open, asset, rules) ? undefined : await priceOrReason(ctx, job.signal);
      if (typeof price === 'string') return failed(price);
      const open = sizeOpenLeg(plan.open, job.row.positionSize, asset, price, rules);
      if (!open.ok) return failed(open.reason);
      const orderValue = open.notional ?? open.qty! * price!;
      const capped = ctx.guards.capEntry?.({ orderValue, resultingValue: orderValue });
      return capped ? { ok: false, verdict: capped } : { ok: true, open };
    }
    const price = await priceOrReason(ctx, job.signal);
    if (typeof price === 'string') return failed(price);
    const held = Math.abs(holdings.position) + holdings.working.reduce((sum, o) => sum + o.qty, 0);
    const added = plan.scale!.qty;
    const capped = ctx.guards.capEntry?.({ orderValue: added * price, resultingValue: (held + added) * (holdings.currentPrice ?? price) });
    return capped ? { ok: false, verdict: capped } : { ok: true };
  } catch (err) {
    return failed(`could not size the order: ${describeError(err)}`);
  }
}

/** The sizing price, or the reason there is none (market data unavailable): that entry is FAILED, never guessed. */
async function priceOrReason(ctx: TradingContext, signal: Signal): Promise<number | string> {
  try {
    return await sizingPrice(ctx, signal);
  } catch (err) {
    return `no latest price for ${signal.symbol}: ${describeError(err)}`;
  }
}
