/**
 * Where a limit order is priced: a little through the last trade, so it fills
 * at once in a normal market yet never far from the price the trader saw. Pure.
 */
import type { Side } from '../types';
import { type AssetRules, roundToTick } from './broker-rules';

/** `limit_offset_pct` when the Config cell is blank. */
export const DEFAULT_LIMIT_OFFSET_PCT = 0.1;

/**
 * A limit price `offsetPct` percent through `last`: above it for a buy, below it for a sell, rounded to the
 * broker's tick. Never 0 or below: a sell priced under one tick is priced at one tick.
 */
export function limitPriceFrom(side: Side, last: number, offsetPct: number, rules: Pick<AssetRules, 'ticksPerDollar'>): number {
  const raw = side === 'buy' ? last * (1 + offsetPct / 100) : last * (1 - offsetPct / 100);
  const price = roundToTick(raw, rules);
  const tick = 1 / rules.ticksPerDollar(raw);
  return price > 0 ? price : tick;
}
