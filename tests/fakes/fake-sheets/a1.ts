/**
 * A1 notation as the Sheets API reads it: `Config!A1:F`, `'My Tab'!A2:Z`,
 * `Config` (whole tab), `Config!A:C`, `Config!2:5`, `A1:B2` (first tab).
 */

/** A parsed range: the tab as written (undefined = first tab) and 1-based inclusive bounds; open ends are Infinity. */
export interface ParsedRange {
  tab?: string;
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

/** 1 → A, 26 → Z, 27 → AA. */
export function columnLetters(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A → 1, Z → 26, AA → 27. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** The tab name as the API echoes it: bare when alphanumeric, else single-quoted with `'` doubled. */
export function formatTab(tab: string): string {
  return /^[A-Za-z0-9_]+$/.test(tab) ? tab : `'${tab.replace(/'/g, "''")}'`;
}

/** `Config!A1:Z1000` for a tab and closed bounds. */
export function formatRange(tab: string, r1: number, c1: number, r2: number, c2: number): string {
  const start = `${columnLetters(c1)}${r1}`;
  const end = `${columnLetters(c2)}${r2}`;
  return `${formatTab(tab)}!${start === end ? start : `${start}:${end}`}`;
}

// Sheets has at most 18,278 columns (ZZZ), so three letters at most.
const CELL = /^([A-Za-z]{0,3})(\d*)$/;

/** One end of a range (`A1`, `A`, `1`); undefined when it is not A1 notation. */
function parseRef(ref: string): { row?: number; col?: number } | undefined {
  const m = CELL.exec(ref);
  if (!m || (!m[1] && !m[2])) return undefined;
  const row = m[2] ? Number(m[2]) : undefined;
  if (row === 0) return undefined;
  return { col: m[1] ? columnNumber(m[1]) : undefined, row };
}

/** The cell part after `!` (`A1:Z`, `B2`, `A:C`, `2:4`); undefined when it is not A1 notation. */
export function parseCells(cells: string): Omit<ParsedRange, 'tab'> | undefined {
  const [a, b, extra] = cells.split(':');
  if (extra !== undefined) return undefined;
  const start = parseRef(a);
  const end = b === undefined ? start : parseRef(b);
  if (!start || !end) return undefined;
  // `A:C` means whole columns, `2:4` whole rows; `A1:Z` runs to the last row.
  const r1 = start.row ?? 1;
  const c1 = start.col ?? 1;
  const r2 = end.row ?? (b === undefined && start.row !== undefined ? start.row : Infinity);
  const c2 = end.col ?? (b === undefined && start.col !== undefined ? start.col : Infinity);
  return { r1: Math.min(r1, r2), c1: Math.min(c1, c2), r2: Math.max(r1, r2), c2: Math.max(c1, c2) };
}

/**
 * Splits `'It''s'!A1:B2` into tab and bounds. A range without `!` is a whole
 * tab when `isTab(name)` says so, else cells on the first tab. Undefined when unparseable.
 */
export function parseRange(range: string, isTab: (name: string) => boolean): ParsedRange | undefined {
  const whole = { r1: 1, c1: 1, r2: Infinity, c2: Infinity };
  if (range.startsWith("'")) {
    let i = 1;
    let tab = '';
    for (;;) {
      if (i >= range.length) return undefined;
      if (range[i] === "'") {
        if (range[i + 1] === "'") {
          tab += "'";
          i += 2;
          continue;
        }
        break;
      }
      tab += range[i++];
    }
    const rest = range.slice(i + 1);
    if (rest === '') return { tab, ...whole };
    if (!rest.startsWith('!')) return undefined;
    const cells = parseCells(rest.slice(1));
    return cells && { tab, ...cells };
  }
  const bang = range.lastIndexOf('!');
  if (bang < 0) {
    if (isTab(range)) return { tab: range, ...whole };
    // A bare word like `Nope` is a missing tab, not the column NOPE.
    if (!/[:\d]/.test(range)) return undefined;
    const cells = parseCells(range);
    return cells && { ...cells };
  }
  const cells = parseCells(range.slice(bang + 1));
  return cells && { tab: range.slice(0, bang), ...cells };
}
