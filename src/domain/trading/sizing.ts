/**
 * How big an entry is: the `position_size` cell's three forms (dollars,
 * shares, a percentage of equity) and the `risk_pct` rule, turned into the
 * opening order's dollars or shares at the signal's equity and price, and cut
 * to MAX_POSITION_USD where the size is computed rather than typed. Pure.
 */
import type { Asset, Side } from '../types';
import type { AssetRules } from './broker-rules';
import { cannotOpen, opensByDollars, type OpenSize, sizeOpenLeg } from './trade-plan';

/** A `position_size` cell, read: dollars per trade, a share count, or a percentage of the account's equity. */
export interface PositionSize {
  kind: 'dollars' | 'shares' | 'equity_pct';
  value: number;
}

/** The settings of a row that decide its entry's size. */
export interface SizingSettings {
  /** The `position_size` cell; absent when blank (allowed only with `riskPct`). */
  size?: PositionSize;
  /** `risk_pct`: percent of equity a stop-out at `stopLossPct` loses; replaces `size`. */
  riskPct?: number;
  /** The row's `stop_loss_pct`, which `riskPct` sizes against. */
  stopLossPct?: number;
}

/** What `position_size` accepts, said in every problem with the cell. */
export const SIZE_ADVICE =
  'type the dollars as a plain number (1500 or 1500.50) or US-style ($1,500.50), shares (25 shares) or a percentage of equity (10%)';

/** US-style dollars: `5000`, `5,000`, `$5,000.50`, `-$20`; commas only between groups of three, at most two decimals. */
const US_DOLLARS = /^(-?)\$?(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?$/;

/**
 * Reads text strictly as US-style dollars ("$5,000", "5000", "5,000.50");
 * null for anything else. `1.500,00`, `5.000` and `5 000` are null, never
 * $1.50 or $5: a size typed in another locale's style must not be misread.
 */
export function parseDollars(text: string): number | null {
  const m = US_DOLLARS.exec(text.trim());
  if (!m || (m[1] && m[2])) return null;
  return Number(`${m[1] || m[2]}${m[3].replace(/,/g, '')}${m[4] ?? ''}`);
}

const SHARES = /^(\d+(?:\.\d+)?)\s*(?:shares?|sh)$/i;
const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;

/**
 * Reads a `position_size` cell: a number cell or US-style text is dollars,
 * `25 shares`/`25 sh` a share count, `10%` a percentage of equity (at most
 * 100); undefined for a blank cell, else the problem naming the column.
 */
export function parsePositionSize(cell: string | number | boolean | undefined): { size?: PositionSize } | { problem: string } {
  if (typeof cell === 'number') {
    if (!(Number.isFinite(cell) && cell > 0)) return { problem: `position_size ${cell} must be more than 0` };
    // Google Sheets stores a typed `10%` as the number 0.1; no order is under $1, so such a number is that mistake.
    if (cell < 1)
      return {
        problem: `position_size ${cell} reads as $${cell}, under $1; for ${round4(cell * 100)}% of equity type '${round4(cell * 100)}%`,
      };
    return { size: { kind: 'dollars', value: cell } };
  }
  const text = String(cell ?? '').trim();
  if (text === '') return {};
  const shares = SHARES.exec(text);
  const pct = PERCENT.exec(text);
  const size: PositionSize | undefined = shares
    ? { kind: 'shares', value: Number(shares[1]) }
    : pct
      ? { kind: 'equity_pct', value: Number(pct[1]) }
      : dollarsOf(text);
  // Text made of digits and separators was meant as dollars: say it is not US-style, as the README does.
  const what = /^[-$\d.,\s\u202f]+$/.test(text) ? 'is not a US-style dollar amount' : 'is not understood';
  if (!size) return { problem: `position_size "${text.slice(0, 20)}" ${what}: ${SIZE_ADVICE}` };
  if (!(size.value > 0)) return { problem: `position_size ${text.slice(0, 20)} must be more than 0` };
  if (size.kind === 'equity_pct' && size.value > 100) return { problem: `position_size ${text} is over 100% of equity: ${SIZE_ADVICE}` };
  return { size };
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

function dollarsOf(text: string): PositionSize | undefined {
  const value = parseDollars(text);
  return value === null ? undefined : { kind: 'dollars', value };
}

/** The problem of a row's sizing settings taken together (risk_pct without its stop, or no size at all); undefined when it can size. */
export function sizingProblem(s: SizingSettings): string | undefined {
  if (s.riskPct !== undefined) return s.stopLossPct === undefined ? 'risk_pct needs stop_loss_pct: set stop_loss_pct (e.g. 2)' : undefined;
  return s.size ? undefined : `position_size is blank: ${SIZE_ADVICE}`;
}

/** True when the row's size depends on the account's equity, so the account is read for its entries (and only then). */
export function needsEquity(s: SizingSettings): boolean {
  return s.riskPct !== undefined || s.size?.kind === 'equity_pct';
}

/** True when the size was typed in dollars: MAX_POSITION_USD refuses it whole (the trader chose the amount); other forms are cut. */
export function typedDollars(s: SizingSettings): boolean {
  return s.riskPct === undefined && s.size?.kind === 'dollars';
}

/** The entry's size before the asset's rules: dollars, or a share count. */
export type WantedSize = { dollars: number } | { shares: number };

/**
 * The size the row asks for at this equity and price: `risk_pct` gives
 * `floor(equity × risk_pct / 100 / (price × stop_loss_pct / 100))` shares, so a
 * stop-out loses about risk_pct of equity; a percentage gives that share of
 * equity in dollars. Undefined when a needed equity or price is missing.
 */
export function wantedSize(s: SizingSettings, equity?: number, price?: number): WantedSize | undefined {
  if (s.riskPct !== undefined) {
    if (equity === undefined || price === undefined || !(price > 0) || s.stopLossPct === undefined) return undefined;
    return { shares: Math.floor((equity * s.riskPct) / 100 / ((price * s.stopLossPct) / 100) + 1e-9) };
  }
  if (!s.size) return undefined;
  if (s.size.kind === 'shares') return { shares: s.size.value };
  if (s.size.kind === 'dollars') return { dollars: s.size.value };
  return equity === undefined ? undefined : { dollars: Math.floor(equity * s.size.value) / 100 };
}

/** What `sizeEntry` works from. */
export interface EntryInput {
  direction: 'long' | 'short';
  wanted: WantedSize;
  asset: Asset;
  /** The sizing price; needed for share counts and for whole-share orders. */
  price?: number;
  rules: Pick<AssetRules, 'fractionalShorts'>;
  /** MAX_POSITION_USD, cutting the size to it (`capped` says so); absent: no cut. */
  cutAt?: number;
}

/** The opening leg, sized, and the cap it was cut to when MAX_POSITION_USD cut it. */
export type EntrySize = (OpenSize & { ok: true; capped?: number }) | { ok: false; reason: string };

/**
 * Sizes the opening leg: dollars as `sizeOpenLeg` does (notional where it
 * may, else whole shares), shares as a quantity: whole for a short where
 * the rules allow no fractional ones and for an asset that is not
 * fractionable. With `cutAt`, an order worth more is cut to it (whole
 * shares when whole shares were asked for).
 */
export function sizeEntry(input: EntryInput): EntrySize {
  const { direction, asset, price, rules, cutAt } = input;
  if ('dollars' in input.wanted) {
    const dollars = input.wanted.dollars;
    const cut = cutAt !== undefined && dollars > cutAt;
    const open = sizeOpenLeg(direction, cut ? cutAt : dollars, asset, price, rules);
    return open.ok && cut ? { ...open, capped: cutAt } : open;
  }
  const refused = cannotOpen(direction, asset);
  if (refused) return { ok: false, reason: refused };
  if (price === undefined || !(price > 0)) return { ok: false, reason: `no price for ${asset.symbol}` };
  const whole = !opensByDollars(direction, asset, rules);
  const round = (qty: number) => (whole ? Math.floor(qty + 1e-9) : Math.floor(qty * 1e9) / 1e9);
  let qty = round(input.wanted.shares);
  let capped: number | undefined;
  if (cutAt !== undefined && qty * price > cutAt) {
    // A whole number of shares asked for stays whole when cut.
    qty = Number.isInteger(qty) ? Math.floor(cutAt / price + 1e-9) : round(cutAt / price);
    capped = cutAt;
  }
  if (whole ? qty < 1 : qty <= 0) return { ok: false, reason: `the size is less than 1 share of ${asset.symbol} at $${price}` };
  const side: Side = direction === 'long' ? 'buy' : 'sell';
  return capped === undefined ? { ok: true, side, qty } : { ok: true, side, qty, capped };
}

/**
 * A per-row entry's whole shares at this price: the wanted size, cut to
 * `cutAt` when given; `capped` when the cut applied.
 */
export function rowEntryShares(wanted: WantedSize, price: number, cutAt?: number): { shares: number; capped?: number } {
  const raw = 'dollars' in wanted ? wanted.dollars / price : wanted.shares;
  const shares = price > 0 ? Math.floor(raw + 1e-9) : 0;
  if (cutAt === undefined || shares * price <= cutAt) return { shares };
  return { shares: Math.floor(cutAt / price + 1e-9), capped: cutAt };
}

/** The note a status carries when MAX_POSITION_USD cut the size. */
export function cappedNote(cap: number): string {
  return `capped at MAX_POSITION_USD $${(Math.round(cap * 100) / 100).toLocaleString('en-US')}`;
}
