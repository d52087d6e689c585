/**
 * What `npm run sheet:init` makes of the trader's sheet: the tabs, the Config
 * columns with their checkbox and drop-downs, dollar format, a frozen bold
 * header and status colours, and the Controls tab with its Halt checkbox. Pure: it compares what the sheet has (facts read
 * by an adapter) with what it should have and lists the changes, so a second
 * run on a prepared sheet plans nothing. It never plans to delete, reorder or
 * rewrite a trader's cell: new columns go after the last header.
 */
import { type InitFormat, names } from '../trading/config-column-spec';
import { CONFIG_COLUMN_TABLE, configColumn, type ConfigColumn, type ConfigColumnKey } from '../trading/config-columns';
import { CONTROL_NAMES, newControlsRows, readControls, type ControlName } from './controls';
import { PERFORMANCE_COLUMNS } from '../performance/performance';
import { POSITIONS_COLUMNS } from './positions-table';
import { SIGNALS_COLUMNS } from './signal-row';

/** The drop-downs sheet:init gives Time Frame and direction (the column table's). */
export { DIRECTION_CHOICES, TIMEFRAME_CHOICES } from '../trading/config-columns';

/** The Config columns sheet:init adds (those with an `init` format in the column table), in table order. */
const INIT_COLUMNS = CONFIG_COLUMN_TABLE.filter((c): c is ConfigColumn & { init: InitFormat } => c.init !== undefined);

/** The Config tab's headers sheet:init writes, in the order a new tab gets them. */
export const CONFIG_COLUMNS: readonly string[] = INIT_COLUMNS.map((c) => c.header);

/** A colour as the Sheets API takes it, each part from 0 to 1. */
export interface Rgb {
  red: number;
  green: number;
  blue: number;
}

const hex = (h: string): Rgb => ({
  red: parseInt(h.slice(1, 3), 16) / 255,
  green: parseInt(h.slice(3, 5), 16) / 255,
  blue: parseInt(h.slice(5, 7), 16) / 255,
});

/** Order Status backgrounds: Google's light palette, so the text stays readable. */
export const STATUS_COLOURS: { status: string; name: string; colour: Rgb }[] = [
  { status: 'FILLED', name: 'green', colour: hex('#b7e1cd') },
  { status: 'FAILED', name: 'red', colour: hex('#f4c7c3') },
  { status: 'HALTED', name: 'orange', colour: hex('#f9cb9c') },
  { status: 'ORDER SUBMITTED', name: 'yellow', colour: hex('#fff2cc') },
  { status: 'WAITING', name: 'grey', colour: hex('#e0e0e0') },
];

/** One cell of a tab's top rows, as read with its format and validation. */
export interface CellFacts {
  value: string;
  bold?: boolean;
  /** The number format's type, e.g. `CURRENCY`. */
  numberFormat?: string;
  /** The data validation's condition type, e.g. `BOOLEAN`, `ONE_OF_LIST`. */
  validation?: string;
}

/** What a tab that exists holds, as far as sheet:init cares. */
export interface TabFacts {
  title: string;
  /** Its first rows (up to 11), 0-based; cells may be missing at the ends. */
  top: CellFacts[][];
  frozenRows: number;
  /** Columns in its grid. */
  columnCount: number;
  /** Texts of its "text is exactly" colour rules, upper-cased. */
  colouredTexts: string[];
}

/** One change to the sheet; rows and columns are 1-based. */
export type LayoutChange =
  | { kind: 'addTab'; tab: string }
  | { kind: 'headers'; tab: string; row: number; column: number; names: string[] }
  /** Whole rows of cells from (row, column): the Controls tab's controls; a boolean is a checkbox's state. */
  | { kind: 'rows'; tab: string; row: number; column: number; rows: (string | boolean)[][]; what: string }
  | { kind: 'widen'; tab: string; columns: number }
  /** A checkbox from `fromRow` down, or on rows `fromRow` to `toRow` only. */
  | { kind: 'checkbox'; tab: string; column: number; fromRow: number; toRow?: number; header: string }
  | { kind: 'dropdown'; tab: string; column: number; fromRow: number; header: string; values: string[] }
  | { kind: 'dollars'; tab: string; column: number; fromRow: number; header: string }
  | { kind: 'freeze'; tab: string; rows: number }
  | { kind: 'bold'; tab: string; row: number; columns: number }
  | { kind: 'colour'; tab: string; column: number; fromRow: number; header: string; text: string; name: string; colour: Rgb };

/** The tabs to prepare, and whether the sheet can hold formats (the Google Sheet can, CSV files can't). */
export interface LayoutTargets {
  configTab: string;
  performanceTab: string;
  signalsTab: string;
  controlsTab: string;
  positionsTab: string;
  formatting: boolean;
}

/** The plan, and problems that stop part of it (told to the trader, nothing done about them). */
export interface LayoutPlan {
  changes: LayoutChange[];
  warnings: string[];
}

/** The first of the top ten rows naming `symbol`: the header row (1-based), or undefined. */
function headerRowOf(top: CellFacts[][]): number | undefined {
  const i = top.slice(0, 10).findIndex((row) => row.some((c) => names(configColumn('symbol'), c.value)));
  return i < 0 ? undefined : i + 1;
}

/** Compares the sheet with what it should be; the changes come in the order they must be made. */
export function planLayout(tabs: TabFacts[], targets: LayoutTargets): LayoutPlan {
  const find = (name: string) => tabs.find((t) => t.title.toLowerCase() === name.toLowerCase());
  const changes: LayoutChange[] = [];
  const warnings: string[] = [];
  const config = find(targets.configTab);
  const empty: TabFacts = { title: targets.configTab, top: [], frozenRows: 0, columnCount: 26, colouredTexts: [] };
  if (!config) changes.push({ kind: 'addTab', tab: targets.configTab });
  const facts = config ?? empty;
  const blank = facts.top.every((row) => row.every((c) => c.value.trim() === ''));
  const headerRow = headerRowOf(facts.top) ?? (blank ? 1 : undefined);
  if (headerRow === undefined) {
    warnings.push(
      `${targets.configTab}: no header row naming "symbol" in the first 10 rows, so its columns were left alone; add the headers by hand`,
    );
  } else {
    changes.push(...configChanges(targets, facts, headerRow));
  }
  const tables = [
    [targets.performanceTab, PERFORMANCE_COLUMNS],
    [targets.signalsTab, SIGNALS_COLUMNS],
    [targets.positionsTab, POSITIONS_COLUMNS],
  ] as const;
  for (const [tab, columns] of tables) {
    const found = find(tab);
    if (!found) changes.push({ kind: 'addTab', tab });
    const isBlank = !found || found.top.every((row) => row.every((c) => c.value.trim() === ''));
    if (isBlank) changes.push({ kind: 'headers', tab, row: 1, column: 1, names: [...columns] });
  }
  changes.push(...controlsChanges(targets, find(targets.controlsTab)));
  // Tabs first (formats refer to them), then the rest in plan order.
  return { changes: [...changes.filter((c) => c.kind === 'addTab'), ...changes.filter((c) => c.kind !== 'addTab')], warnings };
}

function configChanges(targets: LayoutTargets, facts: TabFacts, headerRow: number): LayoutChange[] {
  const tab = targets.configTab;
  const header = facts.top[headerRow - 1] ?? [];
  const changes: LayoutChange[] = [];
  const columnOf = new Map<ConfigColumnKey, number>();
  header.forEach((c, i) => {
    for (const spec of INIT_COLUMNS) if (!columnOf.has(spec.key) && names(spec, c.value)) columnOf.set(spec.key, i + 1);
  });
  const missing = INIT_COLUMNS.filter((spec) => !columnOf.has(spec.key));
  if (missing.length > 0) {
    const lastUsed = header.reduce((last, c, i) => (c.value.trim() !== '' ? i + 1 : last), 0);
    missing.forEach((spec, i) => columnOf.set(spec.key, lastUsed + 1 + i));
    const needed = lastUsed + missing.length;
    if (needed > facts.columnCount) changes.push({ kind: 'widen', tab, columns: needed - facts.columnCount });
    changes.push({ kind: 'headers', tab, row: headerRow, column: lastUsed + 1, names: missing.map((spec) => spec.header) });
  }
  if (!targets.formatting) return changes;

  const formats = INIT_COLUMNS.flatMap((spec) => {
    const column = columnOf.get(spec.key)!;
    const under = facts.top[headerRow]?.[column - 1] ?? { value: '' };
    return formatChanges(spec.init, { tab, column, fromRow: headerRow + 1, header: spec.header }, under, facts);
  });
  // Checkboxes, drop-downs and dollars first, then the header row, then the colours (the order the trader reads them in).
  const rank = (c: LayoutChange) => ['checkbox', 'dropdown', 'dollars'].indexOf(c.kind);
  changes.push(...formats.filter((c) => c.kind !== 'colour').sort((a, b) => rank(a) - rank(b)));
  if (facts.frozenRows < headerRow) changes.push({ kind: 'freeze', tab, rows: headerRow });
  const width = Math.max(...columnOf.values());
  const headerCells = [...columnOf.values()].map((col) => header[col - 1]);
  if (headerCells.some((c) => !c?.bold)) changes.push({ kind: 'bold', tab, row: headerRow, columns: width });
  changes.push(...formats.filter((c) => c.kind === 'colour'));
  return changes;
}

/** Where a column's format goes: its tab, column (1-based), first row under the header, and header. */
interface FormatTarget {
  tab: string;
  column: number;
  fromRow: number;
  header: string;
}

/** The changes that give a column its `init` format, judged by the first cell under its header (and the tab's colour rules). */
function formatChanges(format: InitFormat, at: FormatTarget, under: CellFacts, facts: TabFacts): LayoutChange[] {
  if (format === 'plain') return [];
  if (format === 'checkbox') return under.validation === 'BOOLEAN' ? [] : [{ kind: 'checkbox', ...at }];
  if (format === 'dollars') return under.numberFormat === 'CURRENCY' ? [] : [{ kind: 'dollars', ...at }];
  if (format === 'status colours') {
    return STATUS_COLOURS.filter(({ status }) => !facts.colouredTexts.includes(status)).map(({ status, name, colour }) => ({
      kind: 'colour',
      ...at,
      text: status,
      name,
      colour,
    }));
  }
  return under.validation === 'ONE_OF_LIST' ? [] : [{ kind: 'dropdown', ...at, values: [...format.dropdown] }];
}

/** The values a control shows before the bot first writes it: Halt unticked, the rest blank. */
const FIRST_VALUES = Object.fromEntries(CONTROL_NAMES.map((n) => [n, n === 'Halt' ? false : ''])) as Record<ControlName, string | boolean>;

/**
 * The Controls tab: created with a header and one row per control when
 * missing or blank; on an existing tab, rows for the missing controls after
 * the last one. Halt's value cell is a checkbox.
 */
function controlsChanges(targets: LayoutTargets, found: TabFacts | undefined): LayoutChange[] {
  const tab = targets.controlsTab;
  const changes: LayoutChange[] = [];
  if (!found) changes.push({ kind: 'addTab', tab });
  const layout = readControls((found?.top ?? []).map((row) => row.map((c) => c.value)));
  const all = newControlsRows(FIRST_VALUES);
  const missingRows = all.slice(1).filter((row) => layout.missing.includes(row[0] as ControlName));
  let haltRow = layout.cells.Halt?.row;
  if (layout.empty) {
    changes.push({ kind: 'rows', tab, row: 1, column: 1, rows: all, what: `the controls ${CONTROL_NAMES.join(', ')}` });
    haltRow = 2;
  } else if (missingRows.length > 0) {
    changes.push({
      kind: 'rows',
      tab,
      row: layout.nextRow,
      column: 1,
      rows: missingRows,
      what: `the control${missingRows.length > 1 ? 's' : ''} ${missingRows.map((r) => r[0]).join(', ')}`,
    });
    haltRow ??= layout.nextRow + missingRows.findIndex((r) => r[0] === 'Halt');
  }
  if (!targets.formatting || haltRow === undefined) return changes;
  const value = found?.top[haltRow - 1]?.[1];
  if (value?.validation !== 'BOOLEAN') changes.push({ kind: 'checkbox', tab, column: 2, fromRow: haltRow, toRow: haltRow, header: 'Halt' });
  if (layout.empty) changes.push({ kind: 'freeze', tab, rows: 1 }, { kind: 'bold', tab, row: 1, columns: all[0].length });
  return changes;
}

/** One line telling the trader what a change did. */
export function describeChange(c: LayoutChange): string {
  switch (c.kind) {
    case 'addTab':
      return `${c.tab}: created the tab`;
    case 'headers':
      return `${c.tab}: added the column${c.names.length > 1 ? 's' : ''} ${c.names.join(', ')}`;
    case 'rows':
      return `${c.tab}: added ${c.what}`;
    case 'widen':
      return `${c.tab}: added ${c.columns} column${c.columns > 1 ? 's' : ''} to the grid`;
    case 'checkbox':
      return `${c.tab}: ${c.header} is a checkbox`;
    case 'dropdown':
      return `${c.tab}: ${c.header} has a drop-down (${c.values.join(', ')}); other values get a warning`;
    case 'dollars':
      return `${c.tab}: ${c.header} is shown as dollars`;
    case 'freeze':
      return `${c.tab}: header row frozen`;
    case 'bold':
      return `${c.tab}: header row bold`;
    case 'colour':
      return `${c.tab}: ${c.header} ${c.text} shows ${c.name}`;
  }
}
