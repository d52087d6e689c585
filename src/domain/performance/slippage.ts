/**
 * Slippage: how far each fill landed from the price the alert fired at, in
 * basis points, signed so that positive always means "worse for us" (paid
 * more on a buy, got less on a sell). Averages are weighted by the order's
 * notional at the alert price, so a 1-share fill can't outweigh a 500-share one.
 */
import type { Side } from '../types';

/** One filled order with the price its signal carried. */
export interface SignalFill {
  symbol: string;
  side: Side;
  signalPrice: number;
  fillPrice: number;
  qty: number;
}

/** Weighted slippage of a group of fills. */
export interface SlippageGroup {
  fills: number;
  /** Notional-weighted mean, in basis points; positive = worse than the alert. */
  bps: number;
  /** Extra dollars paid (positive) or saved (negative) against the alert prices. */
  cost: number;
}

/** Slippage per symbol (sorted) and over everything; `overall` is null when no fill had a usable price. */
export interface SlippageSummary {
  overall: SlippageGroup | null;
  bySymbol: ({ symbol: string } & SlippageGroup)[];
}

/** Basis points a fill lost (positive) or gained (negative) against the alert's price. */
export function slippageBps(side: Side, signalPrice: number, fillPrice: number): number {
  const sign = side === 'buy' ? 1 : -1;
  return ((sign * (fillPrice - signalPrice)) / signalPrice) * 10_000;
}

/** Folds fills into one weighted group; null for none. */
function group(fills: SignalFill[]): SlippageGroup | null {
  let weight = 0;
  let weighted = 0;
  let cost = 0;
  for (const f of fills) {
    const w = f.qty * f.signalPrice;
    weight += w;
    weighted += w * slippageBps(f.side, f.signalPrice, f.fillPrice);
    cost += (f.side === 'buy' ? 1 : -1) * (f.fillPrice - f.signalPrice) * f.qty;
  }
  return weight > 0 ? { fills: fills.length, bps: weighted / weight, cost } : null;
}

/** Summarises slippage; fills without a positive price or quantity are ignored, not guessed at. */
export function summariseSlippage(fills: readonly SignalFill[]): SlippageSummary {
  const usable = fills.filter((f) => f.signalPrice > 0 && f.fillPrice > 0 && f.qty > 0);
  const symbols = [...new Set(usable.map((f) => f.symbol))].sort();
  return {
    overall: group(usable),
    bySymbol: symbols.map((symbol) => ({ symbol, ...(group(usable.filter((f) => f.symbol === symbol)) as SlippageGroup) })),
  };
}
