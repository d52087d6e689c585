/**
 * Display formatting shared by the summary table, the HTML report and the
 * messages. Null (a metric the window can't support) always shows as "n/a",
 * so no reader ever sees "NaN" or "Infinity".
 */
import { DateTime } from 'luxon';
import { formatMoney, formatQty } from '../src/domain/performance/money';

/** What a missing value looks like everywhere. */
export const NA = 'n/a';

/** A fraction as a percentage, signed unless `signed` is false: 0.042 → "+4.20%". */
export function pct(x: number | null | undefined, digits = 2, signed = true): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NA;
  const s = (x * 100).toFixed(digits);
  // A value that rounds to zero is shown unsigned: never "-0.00%" or "+0.00%".
  if (Number(s) === 0) return `${(0).toFixed(digits)}%`;
  return `${x > 0 && signed ? '+' : ''}${s}%`;
}

/** A plain ratio: 1.8512 → "1.85". */
export function ratio(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NA;
  const s = x.toFixed(digits);
  return Number(s) === 0 ? (0).toFixed(digits) : s;
}

/** Dollars: "$1,250.50", "-$12.00", or n/a. */
export function money(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NA : formatMoney(x);
}

/** Basis points with one decimal and a sign: "+3.1 bp". */
export function bps(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NA;
  return `${x > 0 ? '+' : ''}${x.toFixed(1)} bp`;
}

/** Thousands separators for counts: 1234 → "1,234". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Replaces every non-finite number in a JSON-able value with null; the last guard before anything is written. */
export function finiteDeep<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? value : null) as T;
  if (Array.isArray(value)) return value.map(finiteDeep) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finiteDeep(v)])) as T;
  }
  return value;
}

/** An instant (ISO) in `zone`, to the minute with the zone's abbreviation: "2024-03-26 08:00 EDT". */
export function localTime(iso: string, zone: string): string {
  const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).setLocale('en-US');
  return t.isValid ? t.toFormat('yyyy-MM-dd HH:mm ZZZZ') : iso;
}

/** Shares for display: whole numbers as is, fractions to at most 4 decimals (Alpaca keeps 9, a reader needs fewer). */
export function shares(qty: number): string {
  if (!Number.isFinite(qty)) return NA;
  return Number.isInteger(qty) ? formatQty(qty) : formatQty(Math.round(qty * 10_000) / 10_000);
}
