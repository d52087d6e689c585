import type { Asset, Direction, Side, Signal } from '../types';
import type { AssetRules } from './broker-rules';

/** Where a signal wants the symbol's position to be. */
export type Target =
  | { kind: 'flat' }
  /** Hold this side: open the row's position_size unless already there. */
  | { kind: 'side'; side: 'long' | 'short' }
  /** Same side as held: scale the position by `ratio` (the strategy's new size over its previous one). */
  | { kind: 'scale'; side: 'long' | 'short'; ratio: number }
  /** An exact signed share count, resolved from a scale before working orders were cancelled. */
  | { kind: 'shares'; qty: number };

/** One of the bot's own orders still working at the broker; `qty` is what it would still add, in shares. */
export interface WorkingOrder {
  id: string;
  side: Side;
  qty: number;
}

/** A market order's side and share quantity. */
export interface Leg {
  side: Side;
  qty: number;
}

/** The steps that move the account from what it holds to the target. */
export type TradePlan =
  | { kind: 'hold'; status: 'ALREADY LONG' | 'ALREADY SHORT' | 'WAITING'; reason: string }
  /** Cancel these working orders, wait for each to end, then plan again toward `then` from the new position. */
  | { kind: 'cancel'; orderIds: string[]; then: Target }
  /**
   * Close the position (an exit), then open `open` at the row's size (an
   * entry); or change the position's size (`scale`: an entry when it adds).
   */
  | { kind: 'trade'; close?: Leg; open?: 'long' | 'short'; scale?: Leg & { adds: boolean } };

/** What the planner works from. */
export interface PlanInput {
  target: Target;
  direction: Direction;
  /** Signed shares held now (negative for a short, 0 flat). */
  position: number;
  /** The bot's own open orders for the symbol. */
  working: WorkingOrder[];
  /** The asset trades only in whole shares (not fractionable); so do shorts where the broker's rules allow no fractional ones. */
  wholeShares?: boolean;
  /** The broker's rules for the asset: whether a short may hold fractional shares. */
  rules: Pick<AssetRules, 'fractionalShorts'>;
}

const EPSILON = 1e-9;
const sideOf = (qty: number): 'long' | 'short' | undefined => (qty > EPSILON ? 'long' : qty < -EPSILON ? 'short' : undefined);
const signed = (o: WorkingOrder) => (o.side === 'buy' ? o.qty : -o.qty);
const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * The target a signal asks for. A strategy's `market_position` decides when
 * present: flat closes; long or short with both sizes > 0 (and no change of
 * side) scales by their ratio; otherwise it holds that side. Without it,
 * BUY, SELL and CLOSE keep their meaning.
 */
export function targetOf(signal: Pick<Signal, 'action' | 'strategy'>): Target {
  const s = signal.strategy;
  if (!s) return signal.action === 'close' ? { kind: 'flat' } : { kind: 'side', side: signal.action };
  if (s.marketPosition === 'flat') return { kind: 'flat' };
  const sameSide = s.prevMarketPosition === undefined || s.prevMarketPosition === s.marketPosition;
  if (sameSide && s.size !== undefined && s.prevSize !== undefined && s.size > 0 && s.prevSize > 0) {
    return { kind: 'scale', side: s.marketPosition, ratio: s.size / s.prevSize };
  }
  return { kind: 'side', side: s.marketPosition };
}

/** The side a target points to; undefined for flat. */
function targetSide(target: Target): 'long' | 'short' | undefined {
  if (target.kind === 'flat') return undefined;
  return target.kind === 'shares' ? sideOf(target.qty) : target.side;
}

const allows = (direction: Direction, side: 'long' | 'short') => direction === 'both' || direction === `${side} only`;

/**
 * Plans from the position plus the bot's own working orders. A close or a
 * change of direction first cancels the working orders (planned again once
 * they have ended); so does a size change opposite to one. A row limited to
 * one direction closes the other side instead of opening it, or holds
 * WAITING when there is nothing of its own side to close.
 */
export function planTrade(input: PlanInput): TradePlan {
  const { direction, position, working } = input;
  const effective = round9(position + working.reduce((sum, o) => sum + signed(o), 0));
  let target = input.target;
  const wanted = targetSide(target);
  if (wanted && !allows(direction, wanted)) {
    if (sideOf(effective) !== (wanted === 'long' ? 'short' : 'long')) return { kind: 'hold', status: 'WAITING', reason: direction };
    target = { kind: 'flat' };
  }
  const cancelThen = (then: Target): TradePlan => ({ kind: 'cancel', orderIds: working.map((o) => o.id), then });

  if (target.kind === 'flat') {
    if (working.length) return cancelThen(target);
    return position === 0 ? { kind: 'hold', status: 'WAITING', reason: 'already flat' } : { kind: 'trade', close: closing(position) };
  }
  const held = sideOf(effective);
  if (target.kind === 'side' || (target.kind === 'scale' && held !== target.side)) {
    if (held === target.side) return alreadyThere(target.side, effective);
    if (working.length) return cancelThen({ kind: 'side', side: target.side });
    return { kind: 'trade', close: position === 0 ? undefined : closing(position), open: target.side };
  }
  const goal = target.kind === 'scale' ? round9(effective * target.ratio) : target.qty;
  return changeSize(goal, effective, input);
}

/** Moves `effective` shares toward `goal` (same side) with one order, never past the goal. */
function changeSize(goal: number, effective: number, input: PlanInput): TradePlan {
  const { position, working } = input;
  const side = sideOf(goal)!;
  if (sideOf(position) && sideOf(position) !== side && !working.length) {
    // Only a race leaves the position on the other side: close it, then open the row's size.
    return { kind: 'trade', close: closing(position), open: side };
  }
  const delta = goal - effective;
  const whole = (side === 'short' && !input.rules.fractionalShorts) || input.wholeShares === true;
  // Whole shares round toward the current size, so the position never passes the strategy's.
  const qty = whole ? Math.floor(Math.abs(delta) + EPSILON) : round9(Math.abs(delta));
  if (qty <= EPSILON) return alreadyThere(side, effective);
  const orderSide: Side = delta > 0 ? 'buy' : 'sell';
  if (working.some((o) => o.side !== orderSide))
    return { kind: 'cancel', orderIds: working.map((o) => o.id), then: { kind: 'shares', qty: goal } };
  return { kind: 'trade', scale: { side: orderSide, qty, adds: Math.abs(goal) > Math.abs(effective) } };
}

function closing(position: number): Leg {
  return { side: position > 0 ? 'sell' : 'buy', qty: Math.abs(position) };
}

function alreadyThere(side: 'long' | 'short', qty: number): TradePlan {
  return side === 'long'
    ? { kind: 'hold', status: 'ALREADY LONG', reason: `already long ${round9(qty)}` }
    : { kind: 'hold', status: 'ALREADY SHORT', reason: `already short ${round9(Math.abs(qty))}` };
}

/** True when the plan's step opens or adds exposure (what a halt, the breaker or a bad Config refuses). */
export function opensExposure(plan: TradePlan): boolean {
  return plan.kind === 'trade' && (plan.open !== undefined || plan.scale?.adds === true);
}

/** The opening order's size: dollars (notional) or whole shares; or why it can't be sent. */
export type OpenSize = { ok: true; side: Side; notional?: number; qty?: number } | { ok: false; reason: string };

/**
 * True when the opening leg is a notional (dollar) order, which needs no price: a fractionable
 * asset, bought, or sold short where the rules allow fractional shorts.
 */
export function opensByDollars(
  direction: 'long' | 'short',
  asset: Pick<Asset, 'fractionable'>,
  rules: Pick<AssetRules, 'fractionalShorts'>,
): boolean {
  return asset.fractionable && (direction === 'long' || rules.fractionalShorts);
}

/** Why the asset can't be opened on this side (not tradable, or not shortable); undefined when it can. */
export function cannotOpen(direction: 'long' | 'short', asset: Asset): string | undefined {
  if (!asset.tradable) return `${asset.symbol} is not tradable`;
  if (direction === 'short' && !(asset.shortable && asset.easyToBorrow)) return `${asset.symbol} is not shortable`;
  return undefined;
}

/**
 * Sizes the opening leg. It is `dollars` as a notional order when
 * `opensByDollars`, else whole shares, `floor(dollars / price)`: so shorts
 * are whole shares when the broker's rules allow no fractional shorts
 * (Alpaca's). Fewer than one share, or an asset that can't be shorted, is refused.
 */
export function sizeOpenLeg(
  direction: 'long' | 'short',
  dollars: number,
  asset: Asset,
  price: number | undefined,
  rules: Pick<AssetRules, 'fractionalShorts'>,
): OpenSize {
  const refused = cannotOpen(direction, asset);
  if (refused) return { ok: false, reason: refused };
  const side: Side = direction === 'long' ? 'buy' : 'sell';
  if (opensByDollars(direction, asset, rules)) return { ok: true, side, notional: Math.floor(dollars * 100) / 100 };
  if (price === undefined || !(price > 0)) return { ok: false, reason: `no price for ${asset.symbol}` };
  const qty = Math.floor(dollars / price);
  if (qty < 1) {
    return { ok: false, reason: `position_size $${dollars} buys less than 1 share of ${asset.symbol} at $${price}` };
  }
  return { ok: true, side, qty };
}
