import { describeError } from '../../domain/errors';
import { assetRules } from '../../domain/trading/broker-rules';
import { belowMinimum, CRYPTO_NO_SHORT, CRYPTO_NO_TRAIL, onIncrement } from '../../domain/trading/crypto';
import { wantsProtection } from '../../domain/trading/protection';
import type { AssetRules } from '../../domain/trading/broker-rules';
import type { ConfigRow } from '../../domain/trading/config-table';
import { cappedNote, type EntrySize, needsEquity, sizeEntry, typedDollars, wantedSize } from '../../domain/trading/sizing';
import { type OpenSize, opensByDollars, type TradePlan } from '../../domain/trading/trade-plan';
import type { Asset, Signal } from '../../domain/types';
import type { Exposure, GuardVerdict, TradingContext } from '../context';
import type { Holdings } from './holdings';
import { sizingEquity, sizingPrice } from './sizing-price';
import type { TradeJob } from '../trade-job';

/** The entry of a plan, checked and sized before anything is sent; or why it must not be sent. */
export type EntryCheck =
  /**
   * `exposure` of the opening leg: an entry, unless (per-row) it only carries
   * the rest of a row's exit across zero; `refusal` is then why the row's own entry was not made.
   */
  | { ok: true; open?: OpenSize & { ok: true }; exposure?: Exposure; refusal?: GuardVerdict; note?: string }
  | { ok: false; verdict: GuardVerdict };

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
      const refused = cryptoRefusal(plan.open, fetched, job.row);
      if (refused) return { ok: false, verdict: refused };
      const rules = assetRules(ctx.broker.rules, fetched.assetClass);
      // A row with protective exits opens in whole shares where the broker rests exits only for those (Alpaca).
      const asset = wantsProtection(job.row.protection) && !rules.fractionalResting ? { ...fetched, fractionable: false } : fetched;
      const sized = await sizeRowEntry(ctx, job.signal, job.row, plan.open, asset, rules);
      if ('reason' in sized) return failed(sized.reason);
      const { open, price } = asset.assetClass === 'crypto' ? await cryptoSized(ctx, job.signal, asset, sized) : sized;
      const small = asset.assetClass === 'crypto' ? belowMinimum(asset, open, price) : undefined;
      if (small) return failed(small);
      const orderValue = open.notional ?? open.qty! * price!;
      const capped = ctx.guards.capEntry?.({ orderValue, resultingValue: orderValue });
      if (capped) return { ok: false, verdict: capped };
      const { capped: cut, ...order } = open;
      return cut === undefined ? { ok: true, open: order } : { ok: true, open: order, note: cappedNote(cut) };
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

/**
 * The row's opening leg at the signal's equity and price: the account is read
 * only for a row sized from equity (a percentage, risk_pct), and the price
 * only for share counts and whole-share orders. A computed size is cut to
 * MAX_POSITION_USD; dollars typed in the cell are left for the cap to refuse.
 */
async function sizeRowEntry(
  ctx: TradingContext,
  signal: Signal,
  row: ConfigRow,
  direction: 'long' | 'short',
  asset: Asset,
  rules: Pick<AssetRules, 'fractionalShorts'>,
): Promise<{ open: EntrySize & { ok: true }; price?: number } | { reason: string }> {
  const sizing = { ...row, stopLossPct: row.protection?.stopLossPct };
  let equity: number | undefined;
  if (needsEquity(sizing)) {
    try {
      equity = await sizingEquity(ctx);
    } catch (err) {
      return { reason: `could not read the account's equity: ${describeError(err)}` };
    }
  }
  const byShares = sizing.riskPct !== undefined || sizing.size?.kind === 'shares';
  const price = byShares || !opensByDollars(direction, asset, rules) ? await priceOrReason(ctx, signal) : undefined;
  if (typeof price === 'string') return { reason: price };
  const wanted = wantedSize(sizing, equity, price);
  if (!wanted) return { reason: `could not size ${signal.symbol}: no equity or price` };
  const cutAt = typedDollars(sizing) ? undefined : ctx.guards.cutEntryAt;
  const open = sizeEntry({ direction, wanted, asset, price, rules, cutAt });
  return open.ok ? { open, price } : { reason: open.reason };
}

/**
 * Why a crypto entry can't go at all: a short target (crypto is never sold short: the row waits, its long closed)
 * or a trailing stop (Alpaca offers none for crypto). Undefined for any other asset or entry.
 */
function cryptoRefusal(direction: 'long' | 'short', asset: Asset, row: ConfigRow): GuardVerdict | undefined {
  if (asset.assetClass !== 'crypto') return undefined;
  if (direction === 'short') return { status: 'WAITING', reason: CRYPTO_NO_SHORT, sheetStatus: 'WAITING' };
  if (row.protection?.trailPct !== undefined) return { status: 'FAILED', reason: CRYPTO_NO_TRAIL, sheetStatus: 'FAILED' };
  return undefined;
}

/**
 * A sized crypto entry with what its minimum check needs: a quantity moved onto the asset's step, and the
 * price a dollar amount is measured at (read only when the asset states a minimum).
 */
async function cryptoSized(
  ctx: TradingContext,
  signal: Signal,
  asset: Asset,
  sized: { open: EntrySize & { ok: true }; price?: number },
): Promise<{ open: EntrySize & { ok: true }; price?: number }> {
  const open = sized.open.qty === undefined ? sized.open : { ...sized.open, qty: onIncrement(asset, sized.open.qty) };
  if (sized.price !== undefined || asset.minOrderSize === undefined || open.notional === undefined) return { open, price: sized.price };
  const price = await priceOrReason(ctx, signal);
  return { open, price: typeof price === 'number' ? price : undefined };
}

/** The sizing price, or the reason there is none (market data unavailable): that entry is FAILED, never guessed. */
async function priceOrReason(ctx: TradingContext, signal: Signal): Promise<number | string> {
  try {
    return await sizingPrice(ctx, signal);
  } catch (err) {
    return `no latest price for ${signal.symbol}: ${describeError(err)}`;
  }
}
