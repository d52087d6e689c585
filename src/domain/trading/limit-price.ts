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

/** How a row's orders go: at market (the default), or as limit orders priced from the last trade. */
export type OrderType = 'market' | 'limit';

/** The `order_type` drop-down. */
export const ORDER_TYPE_CHOICES: readonly OrderType[] = ['market', 'limit'];

/** Reads an `order_type` cell, case-insensitively; blank is market. */
export function parseOrderType(column: string, text: string): { type?: OrderType } | { error: string } {
  const word = text.trim().toLowerCase();
  if (word === '') return {};
  if (word === 'market' || word === 'limit') return { type: word };
  return { error: `${column} "${text.trim().slice(0, 20)}" must be market or limit, e.g. limit` };
}

/** The largest `limit_offset_pct`, either way: a limit further from the last trade than this is a typo, not a price. */
export const MAX_LIMIT_OFFSET_PCT = 5;

/**
 * Reads a `limit_offset_pct` cell: a percentage (`0.1`, `0.25%`) from −5 to 5. A negative offset prices the
 * limit on the near side of the last trade (a buy below it), so the order waits for the price to come to it.
 */
export function parseLimitOffset(column: string, text: string): { pct?: number } | { error: string } {
  const cleaned = text.trim().replace(/\s*%$/, '');
  if (cleaned === '') return {};
  const pct = /^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned) ? Number(cleaned) : Number.NaN;
  if (!(Math.abs(pct) <= MAX_LIMIT_OFFSET_PCT)) {
    return { error: `${column} "${text.trim().slice(0, 20)}" must be a percentage from -5 to 5, e.g. 0.1` };
  }
  return { pct };
}

/**
 * The shares a limit order at `limitPrice` sends for a leg sized in shares or dollars: a share count as it
 * is (floored when `whole`); dollars turned into shares at the limit (fractional to Alpaca's 1e-9, or whole
 * when `whole`), so the order never costs more than the dollars. Undefined when that is no share at all.
 */
export function limitQty(order: { qty?: number; notional?: number }, limitPrice: number, whole: boolean): number | undefined {
  if (order.qty !== undefined) {
    const shares = whole ? Math.floor(order.qty + 1e-9) : order.qty;
    return shares > 0 ? shares : undefined;
  }
  const raw = (order.notional ?? 0) / limitPrice;
  const qty = whole ? Math.floor(raw + 1e-9) : Math.floor(raw * 1e9 + 1e-6) / 1e9;
  return qty > 0 ? qty : undefined;
}
