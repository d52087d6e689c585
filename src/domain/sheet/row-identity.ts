/**
 * How the rows of a tab are told apart when a write made against one copy of
 * the tab is applied to a newer copy (the trader added, removed or moved rows
 * in a spreadsheet program meanwhile). Judged from the tab's header. Pure.
 *
 * - Config (a header naming `symbol` and `Time Frame`): the (symbol, timeframe) pair;
 * - Signals (a header naming `signal_id`): the signal id;
 * - Controls (a header starting `control`): the control's name in column A;
 * - any other tab: none (rows are taken by position).
 */
import { headerKey, names } from '../trading/config-column-spec';
import { configColumn } from '../trading/config-columns';
import { normaliseTimeframe } from '../signal/timeframe';

/** A row's identity, or undefined for a row that has none (the header, a blank row, a tab without identities). */
export type RowKey = (row: readonly string[], index: number) => string | undefined;

/** Where the header sits in each tab's top rows: the Config tab allows a few rows above it. */
const HEADER_SEARCH_ROWS = 10;

const cell = (row: readonly string[], i: number) => (row[i] ?? '').trim();

/** The identity of each row of a tab with these rows; rows above and at the header have none. */
export function rowKeyOf(rows: readonly (readonly string[])[]): RowKey {
  for (let h = 0; h < Math.min(rows.length, HEADER_SEARCH_ROWS); h++) {
    const header = rows[h].map(headerKey);
    const signalId = header.indexOf('signalid');
    if (signalId >= 0) return keyed(h, (row) => cell(row, signalId));
    const symbol = rows[h].findIndex((text) => names(configColumn('symbol'), text));
    const timeframe = rows[h].findIndex((text) => names(configColumn('timeframe'), text));
    if (symbol >= 0 && timeframe >= 0) {
      return keyed(h, (row) => {
        const s = cell(row, symbol).toUpperCase();
        const t = cell(row, timeframe);
        return s === '' ? '' : `${s}|${normaliseTimeframe(t) ?? t.toLowerCase()}`;
      });
    }
    if (h === 0 && header[0] === 'control') return keyed(h, (row) => cell(row, 0).toLowerCase().replace(/\s+/g, ' '));
  }
  return () => undefined;
}

/** A key function for rows below the header at `headerIndex`; a blank key means none. */
function keyed(headerIndex: number, key: (row: readonly string[]) => string): RowKey {
  return (row, index) => {
    if (index <= headerIndex) return undefined;
    return key(row) || undefined;
  };
}

/**
 * Where each row of `before` (0-based) is in `after`: the row with the same
 * identity (the n-th of that identity, when several share it), the same
 * position for a row without identity, a position shifted past the trader's
 * added rows for one beyond the end of `before`, or undefined when the trader
 * deleted it.
 */
export function rowMapper(
  before: readonly (readonly string[])[],
  after: readonly (readonly string[])[],
): (index: number) => number | undefined {
  const keyBefore = rowKeyOf(before);
  const keyAfter = rowKeyOf(after);
  /** Each identity's rows in `after`, in order. */
  const rowsOf = new Map<string, number[]>();
  after.forEach((row, i) => {
    const key = keyAfter(row, i);
    if (key !== undefined) rowsOf.set(key, [...(rowsOf.get(key) ?? []), i]);
  });
  /** Each row of `before` as (identity, how many earlier rows share it). */
  const seen = new Map<string, number>();
  const place = before.map((row, i) => {
    const key = keyBefore(row, i);
    if (key === undefined) return i;
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    return rowsOf.get(key)?.[nth];
  });
  return (index) => (index >= before.length ? after.length + (index - before.length) : place[index]);
}
