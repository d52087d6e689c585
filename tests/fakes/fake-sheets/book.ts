/**
 * The fake's spreadsheet: its tabs in order, range resolution with the API's
 * errors, and the record of formulas written.
 */
import { columnLetters, parseRange } from './a1';
import { Sheet, type Box, type CellInput } from './workbook';

/** An error the fake answers in Google's shape: `{"error":{"code","message","status"}}`. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A formula created by a USER_ENTERED write (the thing RAW writes must never do). */
export interface FormulaWrite {
  tab: string;
  /** A1 address, e.g. `B2`. */
  cell: string;
  formula: string;
}

/** The spreadsheet's tabs and what has been written into them. */
export class Book {
  sheets: Sheet[] = [];
  readonly formulas: FormulaWrite[] = [];
  private nextId = 0;

  constructor(
    readonly title: string,
    /** The spreadsheet's locale (`en_US`, `de_DE`…), which formatted numbers follow. */
    readonly locale = 'en_US',
  ) {}

  /** The tab titled `title`; Sheets matches tab names case-insensitively. */
  find(title: string): Sheet | undefined {
    const lower = title.toLowerCase();
    return this.sheets.find((s) => s.title.toLowerCase() === lower);
  }

  /** Adds a tab, with the caller's sheetId when given; 400 when the name or the id is taken. */
  add(title: string, index = this.sheets.length, sheetId?: number): Sheet {
    if (this.find(title)) {
      throw new ApiError(400, `A sheet with the name "${title}" already exists. Please enter another name.`);
    }
    if (sheetId !== undefined && (!Number.isInteger(sheetId) || sheetId < 0 || this.byId(sheetId))) {
      throw new ApiError(400, `Sheet with id ${sheetId} already exists or is not a valid id.`);
    }
    const sheet = new Sheet(sheetId ?? (this.nextId === 0 ? 0 : this.nextId * 1000 + 7), title, index, 1000, 26, this.locale);
    this.nextId++;
    this.sheets.splice(Math.min(index, this.sheets.length), 0, sheet);
    this.sheets.forEach((s, i) => (s.index = i));
    return sheet;
  }

  /** The tab with this sheetId. */
  byId(sheetId: number): Sheet | undefined {
    return this.sheets.find((s) => s.sheetId === sheetId);
  }

  /** Removes a tab by id; 400 when unknown or the last one. */
  remove(sheetId: number): void {
    const i = this.sheets.findIndex((s) => s.sheetId === sheetId);
    if (i < 0) throw new ApiError(400, `No sheet with id: ${sheetId}`);
    if (this.sheets.length === 1) throw new ApiError(400, "You can't remove all the visible sheets in a document.");
    this.sheets.splice(i, 1);
    this.sheets.forEach((s, k) => (s.index = k));
  }

  /** The tab holding `rows`, created when missing (test set-up). */
  put(title: string, rows: CellInput[][]): Sheet {
    const sheet = this.find(title) ?? this.add(title);
    sheet.fill(rows);
    return sheet;
  }

  /** Parses an A1 range against the tabs; 400 "Unable to parse range" like the API. */
  resolve(range: string): { sheet: Sheet; box: Box } {
    const parsed = parseRange(range, (name) => this.find(name) !== undefined);
    const sheet = parsed && (parsed.tab === undefined ? this.sheets[0] : this.find(parsed.tab));
    if (!parsed || !sheet) throw new ApiError(400, `Unable to parse range: ${range}`);
    const { r1, c1, r2, c2 } = parsed;
    return { sheet, box: { r1, c1, r2, c2 } };
  }

  /** Notes the formulas a write created. */
  recordFormulas(sheet: Sheet, created: { row: number; column: number; formula: string }[]): void {
    for (const f of created) {
      this.formulas.push({ tab: sheet.title, cell: `${columnLetters(f.column)}${f.row}`, formula: f.formula });
    }
  }
}
