/**
 * The fake's spreadsheet model: tabs holding typed cells, read and written
 * with the Sheets API's rules (trailing empties omitted, RAW vs USER_ENTERED,
 * `""` clears a cell, `null` leaves it alone).
 */

/** A cell's typed value, as UNFORMATTED_VALUE returns it. */
export type Scalar = string | number | boolean;

/**
 * A number cell with a number format (a pattern such as `#,##0.00` or
 * `$#,##0`), for test set-up: FORMATTED_VALUE shows it in the spreadsheet's
 * locale (`1.500,00` in de_DE), UNFORMATTED_VALUE gives the number.
 */
export interface FormattedNumber {
  number: number;
  pattern: string;
}

/** What a test may put in a cell. */
export type CellInput = Scalar | FormattedNumber;

/** A stored cell; `formula` is set when USER_ENTERED turned text starting with `=` into a formula. */
export interface Cell {
  value: Scalar;
  formula?: string;
  /** The number format, when the cell has one. */
  pattern?: string;
}

export type ValueRender = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
export type InputOption = 'RAW' | 'USER_ENTERED';

/** Closed, 1-based bounds. */
export interface Box {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

/** Thrown for a value the API would refuse; the server answers 400. */
export class BadValueError extends Error {}

/**
 * A number shown with a format pattern in a locale, as Sheets does: the
 * pattern says grouping (`,`), decimals (`.00`) and literal text around them
 * (`$`); the locale says which marks separate groups and decimals.
 */
export function displayNumber(n: number, pattern: string, locale: string): string {
  const decimals = /\.(0+)/.exec(pattern)?.[1].length ?? 0;
  const body = new Intl.NumberFormat(locale.replace('_', '-'), {
    useGrouping: pattern.includes(','),
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(Math.abs(n));
  const prefix = /^[^#0]*/.exec(pattern)?.[0] ?? '';
  const suffix = /[^#0.,]*$/.exec(pattern)?.[0] ?? '';
  return (n < 0 ? '-' : '') + prefix + body + suffix;
}

/** How the real service displays a value: plain, or by its number format in `locale`. */
export function formatted(cell: Cell, locale = 'en_US'): string {
  if (cell.formula !== undefined) return cell.formula; // the fake does not evaluate formulas
  if (typeof cell.value === 'boolean') return cell.value ? 'TRUE' : 'FALSE';
  if (typeof cell.value === 'number' && cell.pattern) return displayNumber(cell.value, cell.pattern, locale);
  return String(cell.value);
}

/** USER_ENTERED parsing: `=` makes a formula, `'` forces text, numbers and TRUE/FALSE are typed. */
function parseUserEntered(text: string): Cell {
  if (text.startsWith('=')) return { value: text, formula: text };
  if (text.startsWith("'")) return { value: text.slice(1) };
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) return { value: Number(text) };
  if (/^(true|false)$/i.test(text)) return { value: text.toLowerCase() === 'true' };
  return { value: text };
}

/** A tab's formatting state: what `spreadsheets.batchUpdate` set and `spreadsheets.get` reports. */
export interface Layout {
  frozenRowCount: number;
  /** ConditionalFormatRule objects as sent, in order. */
  conditionalFormats: Record<string, unknown>[];
  /** userEnteredFormat per cell, keyed `row,column` (1-based). */
  formats: Map<string, Record<string, unknown>>;
  /** DataValidationRule per cell, keyed `row,column` (1-based). */
  validations: Map<string, Record<string, unknown>>;
}

/** One tab (a "sheet" in API terms). */
export class Sheet {
  private cells: (Cell | undefined)[][] = [];
  layout: Layout = { frozenRowCount: 0, conditionalFormats: [], formats: new Map(), validations: new Map() };

  constructor(
    readonly sheetId: number,
    public title: string,
    public index: number,
    public rowCount = 1000,
    public columnCount = 26,
    /** The spreadsheet's locale, which formatted numbers follow. */
    readonly locale = 'en_US',
  ) {}

  /** The `properties` object of `spreadsheets.get`; `frozenRowCount` appears once set, as in the API. */
  properties() {
    const { sheetId, title, index, rowCount, columnCount } = this;
    const frozen = this.layout.frozenRowCount ? { frozenRowCount: this.layout.frozenRowCount } : {};
    return { sheetId, title, index, sheetType: 'GRID', gridProperties: { rowCount, columnCount, ...frozen } };
  }

  /** The cell's stored value and formula (undefined when empty). */
  cellAt(row: number, column: number): Cell | undefined {
    return this.cells[row - 1]?.[column - 1];
  }

  /** A deep copy of the grid size and layout, to restore when a batchUpdate fails part-way. */
  saveLayout(): () => void {
    const { rowCount, columnCount, title } = this;
    const copy = structuredClone(this.layout);
    return () => {
      Object.assign(this, { rowCount, columnCount, title });
      this.layout = copy;
    };
  }

  /** Bounds cut to the grid, as the API does for open-ended ranges like `A1:Z`. */
  clip(box: Box): Box {
    return { r1: box.r1, c1: box.c1, r2: Math.min(box.r2, this.rowCount), c2: Math.min(box.c2, this.columnCount) };
  }

  /** Values in `box` (rows major), trailing empty cells and rows omitted. */
  read(box: Box, render: ValueRender): Scalar[][] {
    const { r1, c1, r2, c2 } = this.clip(box);
    const rows: Scalar[][] = [];
    for (let r = r1; r <= r2 && r <= this.cells.length; r++) {
      const row: Scalar[] = [];
      for (let c = c1; c <= c2; c++) {
        const cell = this.cells[r - 1]?.[c - 1];
        if (!cell) row.push('');
        else if (render === 'FORMATTED_VALUE') row.push(formatted(cell, this.locale));
        else if (render === 'FORMULA' && cell.formula !== undefined) row.push(cell.formula);
        else row.push(cell.value);
      }
      while (row.length && row[row.length - 1] === '') row.pop();
      rows.push(row);
    }
    while (rows.length && rows[rows.length - 1].length === 0) rows.pop();
    return rows;
  }

  /**
   * Writes `values` from (r1, c1), growing the grid when needed. Returns the
   * update counts and any formulas created.
   */
  write(r1: number, c1: number, values: unknown[][], input: InputOption) {
    const formulas: { row: number; column: number; formula: string }[] = [];
    const rowsTouched = new Set<number>();
    const colsTouched = new Set<number>();
    let updatedCells = 0;
    values.forEach((line, i) => {
      if (!Array.isArray(line)) throw new BadValueError(`Invalid values[${i}]: expected a list of values`);
      line.forEach((v, j) => {
        if (v === null || v === undefined) return;
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          throw new BadValueError(`Invalid values[${i}][${j}]: struct_value`);
        }
        const r = r1 + i;
        const c = c1 + j;
        const cell: Cell = input === 'USER_ENTERED' && typeof v === 'string' ? parseUserEntered(v) : { value: v };
        this.set(r, c, v === '' ? undefined : cell);
        if (cell.formula !== undefined) formulas.push({ row: r, column: c, formula: cell.formula });
        rowsTouched.add(r);
        colsTouched.add(c);
        updatedCells++;
      });
    });
    return { updatedRows: rowsTouched.size, updatedColumns: colsTouched.size, updatedCells, formulas };
  }

  /** Empties every cell in `box`. */
  clear(box: Box): void {
    const { r1, c1, r2, c2 } = this.clip(box);
    for (let r = r1; r <= r2 && r <= this.cells.length; r++) {
      const row = this.cells[r - 1];
      if (!row) continue;
      for (let c = c1; c <= c2 && c <= row.length; c++) row[c - 1] = undefined;
    }
  }

  /** The whole tab as displayed text, trailing empties omitted. */
  snapshot(): string[][] {
    return this.read({ r1: 1, c1: 1, r2: Infinity, c2: Infinity }, 'FORMATTED_VALUE') as string[][];
  }

  /** Replaces the content with `rows` (test set-up; no formulas). */
  fill(rows: CellInput[][]): void {
    this.cells = [];
    rows.forEach((line, i) =>
      line.forEach((v, j) => {
        const cell: Cell | undefined =
          v === '' ? undefined : typeof v === 'object' ? { value: v.number, pattern: v.pattern } : { value: v };
        this.set(i + 1, j + 1, cell);
      }),
    );
  }

  private set(r: number, c: number, cell: Cell | undefined): void {
    this.rowCount = Math.max(this.rowCount, r);
    this.columnCount = Math.max(this.columnCount, c);
    while (this.cells.length < r) this.cells.push([]);
    this.cells[r - 1][c - 1] = cell;
  }
}
