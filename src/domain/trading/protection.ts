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
    | { kind: 'limit'; leg: 'tp'; limitPrice: number }
    | { kind: 'trailing_stop'; leg: 'trail'; trailPercent: number }
  );

/**
 * The protective order for `qty` shares held on `held`, entered at `entry`:
 * stop and target as an OCO pair, one of them alone as a single order, or a
 * trailing stop, which wins over the others (`note` says so). It covers the
 * whole shares held, or every share where `rules` let a resting exit hold
 * fractions; its prices are on the rules' ticks. Undefined when the row asks
 * for none or no share it may cover is held.
 */
export function planProtection(
  settings: ProtectionSettings,
  held: 'long' | 'short',
  entry: number,
  qty: number,
  rules: AssetRules,
): { order?: ProtectiveOrder; note?: string } {
  const shares = rules.fractionalResting ? roundQty(qty) : Math.floor(qty + 1e-9);
  if (!wantsProtection(settings) || !(shares > 0) || !(entry > 0)) return {};
  const side: Side = held === 'long' ? 'sell' : 'buy';
  // A long's stop is below the entry and its target above; a short's the mirror image.
  const away = (pct: number, direction: 1 | -1) => roundToTick(entry * (1 + (direction * pct) / 100), rules);
  const down = held === 'long' ? -1 : 1;
  const { stopLossPct: sl, takeProfitPct: tp, trailPct: trail } = settings;
  if (trail !== undefined) {
    const beaten = [sl !== undefined && 'stop_loss_pct', tp !== undefined && 'take_profit_pct'].filter(Boolean).join(' and ');
    return {
      order: { kind: 'trailing_stop', leg: 'trail', side, qty: shares, trailPercent: trail },
      note: beaten ? `trailing stop ${trail}% wins over ${beaten}` : undefined,
    };
  }
  if (sl !== undefined && tp !== undefined) {
    return { order: { kind: 'oco', leg: 'tp', side, qty: shares, stopPrice: away(sl, down), limitPrice: away(tp, -down as 1 | -1) } };
  }
  if (sl !== undefined) return { order: { kind: 'stop', leg: 'sl', side, qty: shares, stopPrice: away(sl, down) } };
  return { order: { kind: 'limit', leg: 'tp', side, qty: shares, limitPrice: away(tp!, -down as 1 | -1) } };
}

/** How the trader names what filled: "stop loss", "take profit" or "trailing stop", from the broker's order type. */
export function exitName(orderType: string | undefined): string {
  if (orderType === 'trailing_stop') return 'trailing stop';
  if (orderType === 'limit') return 'take profit';
  return 'stop loss';
}
