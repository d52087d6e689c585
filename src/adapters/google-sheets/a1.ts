/** A1 notation for the ranges the store sends to the Sheets API. */

/** Column number to letters: 1 → A, 26 → Z, 27 → AA, 703 → AAA. */
export function columnLetters(column: number): string {
  if (!Number.isInteger(column) || column < 1) throw new RangeError(`column must be a whole number ≥ 1, got ${column}`);
  let n = column;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * The tab name as A1 needs it. Always quoted, with `'` doubled, because an
 * unquoted name with a space, `!` or one that looks like a cell (`A1`) is
 * misread; quoting a plain name is harmless.
 */
export function quoteTab(tab: string): string {
  return `'${tab.replace(/'/g, "''")}'`;
}

/** One cell: `'Config'!F7`. */
export function cellRange(tab: string, row: number, column: number): string {
  if (!Number.isInteger(row) || row < 1) throw new RangeError(`row must be a whole number ≥ 1, got ${row}`);
  return `${quoteTab(tab)}!${columnLetters(column)}${row}`;
}

/** The block from A1 to (rows, columns): `'Performance'!A1:H12`. */
export function blockRange(tab: string, rows: number, columns: number): string {
  return `${quoteTab(tab)}!A1:${columnLetters(columns)}${rows}`;
}

/** The block of `rows` × `columns` cells whose top-left cell is (row, column): `'Signals'!A2:M5`. */
export function blockAt(tab: string, row: number, column: number, rows: number, columns: number): string {
  const start = cellRange(tab, row, column);
  return `${start}:${columnLetters(column + columns - 1)}${row + rows - 1}`;
}
