/**
 * Keeps text from becoming a formula when the trader opens a tab's CSV in
 * Excel, LibreOffice or Google Sheets (CSV injection, OWASP).
 *
 * The rule:
 * - A value that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 *   (OWASP's list, plus the full-width `＝＋－＠` some locales accept) is
 *   written with a leading `'`, which every spreadsheet program reads as
 *   "this is text". The apostrophe stays visible; that is the price OWASP accepts.
 * - Except plain numbers and money, which those programs parse as numbers and
 *   never as formulas: `-12`, `-12.00`, `+3.5`, `-$1,234.56`, `-12.5%`. Our
 *   own P&L cells stay numbers that the trader can sum. A lone `-` or `+` is
 *   text too, not a formula.
 * - A value that already starts with `'` followed by something that would be
 *   guarded gets one more `'`, so the mapping stays reversible.
 *
 * Reading undoes exactly that (`unguard(guard(v)) === v` for every string), so
 * the local store returns what was written, just as the Google store does.
 */

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^[-+]?\$?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$/;

/** True when `value`, as written, would need the `'` prefix. */
function needsGuard(value: string): boolean {
  if (value.startsWith("'")) return needsGuard(value.slice(1));
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) && value !== '-' && value !== '+';
}

/** The value as it goes into the CSV file. */
export function guard(value: string): string {
  return needsGuard(value) ? `'${value}` : value;
}

/** The value as read back from the CSV file. */
export function unguard(cell: string): string {
  return cell.startsWith("'") && needsGuard(cell.slice(1)) ? cell.slice(1) : cell;
}
