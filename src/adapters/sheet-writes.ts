/** Helpers for the SheetWrite union, shared by the sheet adapters. */
import type { BlockWrite, CellWrite, SheetWrite } from '../ports';

/** True when the write is a block of rows rather than one cell. */
export function isBlock(write: SheetWrite): write is BlockWrite {
  return 'rows' in write;
}

/** Every write as single cells, in order (a block becomes its cells, row by row). */
export function toCells(writes: SheetWrite[]): CellWrite[] {
  return writes.flatMap((w) =>
    isBlock(w) ? w.rows.flatMap((line, i) => line.map((value, j) => ({ tab: w.tab, row: w.row + i, column: w.column + j, value }))) : [w],
  );
}

/** A cell's value as text: a checkbox's state is TRUE or FALSE, as spreadsheet programs write it. */
export function cellText(value: string | boolean): string {
  return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : value;
}
