/**
 * Protective exits held at the broker: a stop loss, a take profit and a
 * trailing stop per Config row, each a percentage from the entry fill price.
 * Pure: the Config cells in, the orders to rest at the broker out.
 */
import { roundQty } from '../performance/money';
import type { Side } from '../types';
import { type AssetRules, roundToTick } from './broker-rules';

/** A row's protective exits; each is a percentage from the entry price, absent when its cell is blank. */
export interface ProtectionSettings {
  stopLossPct?: number;
  takeProfitPct?: number;
  trailPct?: number;
}

/** A percentage cell: blank is none; else a positive number under 50 ("2", "2.5", "2%"), or an error saying why not. */
export function parsePct(column: string, text: string): { pct?: number } | { error: string } {
  const cleaned = text.trim().replace(/\s*%$/, '');
  if (cleaned === '') return {};
  const pct = /^\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : Number.NaN;
  if (!(pct > 0 && pct < 50)) return { error: `${column} "${text.trim().slice(0, 20)}" must be a positive number under 50` };
  return { pct };
}

/** True when the row asks for any protective exit (it then trades whole shares where the broker rests only those). */
export function wantsProtection(settings: ProtectionSettings | undefined): settings is ProtectionSettings {
  return (
    settings !== undefined &&
    (settings.stopLossPct !== undefined || settings.takeProfitPct !== undefined || settings.trailPct !== undefined)
  );
}

/** Which protective order a client order id names: `sl`, `tp` or `trail`. */
export type ProtectiveLeg = 'sl' | 'tp' | 'trail';

/**
 * One protective order to rest at the broker, GTC, on the side that closes the position (whole
 * shares unless the broker rests fractions).
 */
export type ProtectiveOrder = { side: Side; qty: number } &
  /** A stop and a target as one OCO pair: the take-profit limit is the parent, the stop its leg. */
  (
    | { kind: 'oco'; leg: 'tp'; limitPrice: number; stopPrice: number }
    | { kind: 'stop'; leg: 'sl'; stopPrice: number }
    /** A stop that sells (or buys) at `limitPrice` or better once triggered: crypto's stop. */
    | { kind: 'stop_limit'; leg: 'sl'; stopPrice: number; limitPrice: number }
    | { kind: 'limit'; leg: 'tp'; limitPrice: number }
    | { kind: 'trailing_stop'; leg: 'trail'; trailPercent: number }
  );

/** What protects a position: its one group of orders (one order, an OCO pair, or a stop and a target the bot pairs). */
export interface PlannedProtection {
  /** Empty when the row asks for none, nothing it may cover is held, or `problem` says why not. */
  orders: ProtectiveOrder[];
  /** Why the trader's choice was changed (a trail winning over a stop). */
  note?: string;
  /** Why the row's protection can't be placed at all (a trailing stop where the broker offers none). */
  problem?: string;
}

/**
 * The protective group for `qty` shares held on `held`, entered at `entry`:
 * stop and target as an OCO pair where `rules` pair them, else as two orders
 * the bot keeps as one group; one of them alone as a single order; or a
 * trailing stop, which wins over the others (`note` says so). A stop rests
 * as the rules' `restingStop`: a `stop_limit`'s limit is `stopLimitPct`
 * beyond its trigger. It covers the whole shares held, or every share where
 * `rules` let a resting exit hold fractions; its prices are on the rules'
 * ticks. No orders when the row asks for none or no share it may cover is held.
 */
export function planProtection(
  settings: ProtectionSettings,
  held: 'long' | 'short',
  entry: number,
  qty: number,
  rules: AssetRules,
  stopLimitPct = 1,
): PlannedProtection {
  const shares = rules.fractionalResting ? roundQty(qty) : Math.floor(qty + 1e-9);
  if (!wantsProtection(settings) || !(shares > 0) || !(entry > 0)) return { orders: [] };
  const side: Side = held === 'long' ? 'sell' : 'buy';
  // A long's stop is below the entry and its target above; a short's the mirror image.
  const away = (from: number, pct: number, direction: 1 | -1) => roundToTick(from * (1 + (direction * pct) / 100), rules);
  const down = held === 'long' ? -1 : 1;
  const { stopLossPct: sl, takeProfitPct: tp, trailPct: trail } = settings;
  if (trail !== undefined) {
    if (!rules.trailingStops) return { orders: [], problem: 'trailing stops are not offered for this asset' };
    const beaten = [sl !== undefined && 'stop_loss_pct', tp !== undefined && 'take_profit_pct'].filter(Boolean).join(' and ');
    return {
      orders: [{ kind: 'trailing_stop', leg: 'trail', side, qty: shares, trailPercent: trail }],
      note: beaten ? `trailing stop ${trail}% wins over ${beaten}` : undefined,
    };
  }
  const stopPrice = sl === undefined ? undefined : away(entry, sl, down);
  const limitPrice = tp === undefined ? undefined : away(entry, tp, -down as 1 | -1);
  if (stopPrice !== undefined && limitPrice !== undefined && rules.ocoPairs) {
    return { orders: [{ kind: 'oco', leg: 'tp', side, qty: shares, stopPrice, limitPrice }] };
  }
  const orders: ProtectiveOrder[] = [];
  if (stopPrice !== undefined) {
    orders.push(
      rules.restingStop === 'stop'
        ? { kind: 'stop', leg: 'sl', side, qty: shares, stopPrice }
        : // The limit sits beyond the trigger (below a sell stop), so a fast fall still fills.
          { kind: 'stop_limit', leg: 'sl', side, qty: shares, stopPrice, limitPrice: away(stopPrice, stopLimitPct, down) },
    );
  }
  if (limitPrice !== undefined) orders.push({ kind: 'limit', leg: 'tp', side, qty: shares, limitPrice });
  return { orders };
}

/** How the trader names what filled: "stop loss", "take profit" or "trailing stop", from the broker's order type. */
export function exitName(orderType: string | undefined): string {
  // A stop_limit (crypto's stop) is a stop loss, as a plain stop is.
  if (orderType === 'trailing_stop') return 'trailing stop';
  if (orderType === 'limit') return 'take profit';
  return 'stop loss';
}
