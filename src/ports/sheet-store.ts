import type { SheetValue } from '../domain/trading/config-table';

/**
 * One cell to write, 1-based row and column, always written RAW: text as
 * plain text (never a formula), a boolean as a checkbox's state (TRUE/FALSE in a CSV file).
 */
export interface CellWrite {
  tab: string;
  row: number;
  column: number;
  value: string | boolean;
}

/**
 * A rectangle of cells to write, from its top-left cell (1-based), always as
 * plain text (RAW); `""` empties a cell. Used to rewrite a run of rows at once.
 */
export interface BlockWrite {
  tab: string;
  row: number;
  column: number;
  rows: string[][];
}

/** One entry of a batched write: a single cell or a block of rows. */
export type SheetWrite = CellWrite | BlockWrite;

/** The trader's spreadsheet: the Google Sheet, or CSV files in local mode. */
export interface SheetStore {
  /** `google` for the Google Sheet, `local` for the CSV files. */
  readonly kind: 'google' | 'local';
  /** Where it lives, for logs and the banner (sheet id or folder). */
  readonly location: string;
  /**
   * Every row of `tab` as displayed text (row 0 is the header). Trailing empty
   * cells may be missing. NotFoundError when the tab does not exist.
   */
  readTab(tab: string): Promise<string[][]>;
  /**
   * Every row of `tab` with numbers and booleans as typed values (Sheets'
   * UNFORMATTED_VALUE; dates as displayed text), so a number reads the same
   * whatever the sheet's locale. Text stays text. The CSV sheet has only text.
   */
  readValues(tab: string): Promise<SheetValue[][]>;
  /**
   * Writes all the cells and blocks in one request, as RAW text, never as
   * formulas. NotFoundError when a tab written to does not exist (nothing is written then).
   */
  writeCells(writes: SheetWrite[]): Promise<void>;
  /** Creates `tab` (empty) unless it exists; true when it was created. */
  ensureTab(tab: string): Promise<boolean>;
  /**
   * Makes `tab` hold exactly `rows` (created when missing), in one write so a
   * reader never sees it half done; rows and cells beyond the new content are blanked.
   */
  replaceTab(tab: string, rows: string[][]): Promise<void>;
}
