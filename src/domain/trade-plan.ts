import type { Action, Asset, Position, Side } from './types';

/** What a signal calls for, given the live position, before any sizing. */
export type TradeIntent =
  | { kind: 'hold'; status: 'ALREADY LONG' | 'ALREADY SHORT' | 'WAITING'; reason: string }
  | { kind: 'trade'; close?: { side: Side; qty: number }; open?: 'long' | 'short' };

/**
 * Decides from the live position: the same side already held → hold; the
 * opposite side → close it first (a flip), then open; flat → open. A close
 * signal closes whatever is open, or holds as WAITING when flat.
 */
export function planIntent(action: Action, position: Position | null): TradeIntent {
  const held = position && position.qty !== 0 ? (position.qty > 0 ? 'long' : 'short') : null;
  const closeLeg = position && held ? { side: (held === 'long' ? 'sell' : 'buy') as Side, qty: Math.abs(position.qty) } : undefined;
  if (action === 'close') {
    return closeLeg ? { kind: 'trade', close: closeLeg } : { kind: 'hold', status: 'WAITING', reason: 'already flat' };
  }
  if (held === action) {
    return action === 'long'
      ? { kind: 'hold', status: 'ALREADY LONG', reason: `already long ${position!.qty}` }
      : { kind: 'hold', status: 'ALREADY SHORT', reason: `already short ${Math.abs(position!.qty)}` };
  }
  return { kind: 'trade', close: closeLeg, open: action };
}

/** The opening order's size: dollars (notional) or whole shares; or why it can't be sent. */
export type OpenSize = { ok: true; side: Side; notional?: number; qty?: number } | { ok: false; reason: string };

/**
 * Sizes the opening leg. Longs buy `dollars` as a notional order when the
 * asset is fractionable, else whole shares. Shorts are always whole shares,
 * `floor(dollars / price)`, since Alpaca rejects fractional shorts; fewer
 * than one share, or an asset that can't be shorted, is refused.
 */
export function sizeOpenLeg(direction: 'long' | 'short', dollars: number, asset: Asset, price: number | undefined): OpenSize {
  if (!asset.tradable) return { ok: false, reason: `${asset.symbol} is not tradable` };
  if (direction === 'long' && asset.fractionable) {
    return { ok: true, side: 'buy', notional: Math.floor(dollars * 100) / 100 };
  }
  if (direction === 'short' && !(asset.shortable && asset.easyToBorrow)) {
    return { ok: false, reason: `${asset.symbol} is not shortable` };
  }
  if (price === undefined || !(price > 0)) return { ok: false, reason: `no price for ${asset.symbol}` };
  const qty = Math.floor(dollars / price);
  if (qty < 1) {
    return { ok: false, reason: `position_size $${dollars} buys less than 1 share of ${asset.symbol} at $${price}` };
  }
  return { ok: true, side: direction === 'long' ? 'buy' : 'sell', qty };
}
