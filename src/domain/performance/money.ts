/**
 * Rounding and display of money, quantities and percentages. Amounts are kept
 * unrounded in calculations and rounded here, at the edge, so errors never
 * accumulate; the tiny nudge makes halves round away from zero even when the
 * binary value sits just below (1.005 is stored as 1.00499999…).
 */

/** Half away from zero at `decimals` places, robust to binary representation. */
function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = (Math.sign(x) * Math.round(Math.abs(x) * f + 1e-7)) / f;
  return r === 0 ? 0 : r; // never -0
}

/** Rounds dollars to cents. */
export function roundCents(x: number): number {
  return roundTo(x, 2);
}

/** Rounds a share quantity to 1e-9, Alpaca's fractional precision. */
export function roundQty(x: number): number {
  return roundTo(x, 9);
}

/** Groups the integer part with commas: 1234567 → "1,234,567". */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Dollars as `$1,250.50` / `-$12.00`; zero (and anything under half a cent) is `$0.00`, never `-$0.00`. */
export function formatMoney(x: number): string {
  const c = roundCents(x);
  const [whole, cents] = Math.abs(c).toFixed(2).split('.');
  return `${c < 0 ? '-' : ''}$${group(whole)}.${cents}`;
}

/** A fraction as a percentage with one decimal: 0.555 → `55.5%`. */
export function formatPercent(fraction: number): string {
  return `${roundTo(fraction * 100, 1).toFixed(1)}%`;
}

/** Shares without float noise or exponent notation: `10`, `-5`, `0.123456789`. */
export function formatQty(qty: number): string {
  const fixed = roundQty(qty)
    .toFixed(9)
    .replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}
