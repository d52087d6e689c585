import { asText, blankSettings, type RowSettings, type SheetValue } from './config-cells';
import { names } from './config-column-spec';
import { CONFIG_COLUMN_TABLE, type ConfigColumnKey, type ConfigColumns, REQUIRED_COLUMNS, SETTING_COLUMNS } from './config-columns';
import { normaliseSymbol } from '../signal/symbol';
import { normaliseTimeframe } from '../signal/timeframe';
import { sizingProblem } from './sizing';

/** The cell type and the size reader, for the modules that read a Config table. */
export { parseDollars, type SheetValue } from './config-cells';

/**
 * One Config row with a symbol. `problem` is set when the row exists but can't
 * trade (a bad size, a blank or unknown Time Frame, a repeated symbol and
 * Time Frame): the row shows FAILED with it, and its alerts answer with it.
 */
export interface ConfigRow extends RowSettings {
  /** 1-based row number in the tab. */
  sheetRow: number;
  symbol: string;
  /**
   * Canonical timeframe key (see normaliseTimeframe). A row whose Time Frame
   * is blank or not understood gets a key no alert can have (`''`, `?<text>`),
   * so statuses still find it while alerts never trade on it.
   */
  timeframe: string;
  /** The Time Frame cell as the trader wrote it. */
  timeframeLabel: string;
  problem?: string;
  /** What the Order Status and Reason cells show now (to post a row's problem only when it isn't shown yet). */
  shown?: { status: string; reason: string };
}

/** The Config tab, read: its columns, usable rows, and rows skipped with the reason. */
export interface ConfigTable {
  headerRow: number;
  columns: ConfigColumns;
  rows: ConfigRow[];
  skipped: { sheetRow: number; reason: string }[];
}

/** Thrown when the tab has no header row with the required columns. */
export class ConfigLayoutError extends Error {
  override name = 'ConfigLayoutError';
}

const TIMEFRAME_ADVICE = "type the chart's timeframe, e.g. 15 Min, 1 Hour or 1 Day";

/** Where each column is in this header row, or null when it lacks a required one. */
function findColumns(header: readonly SheetValue[]): ConfigColumns | null {
  const found: Partial<Record<ConfigColumnKey, number>> = {};
  header.forEach((cell, i) => {
    for (const spec of CONFIG_COLUMN_TABLE) if (found[spec.key] === undefined && names(spec, asText(cell))) found[spec.key] = i;
  });
  return REQUIRED_COLUMNS.every((spec) => found[spec.key] !== undefined) ? (found as ConfigColumns) : null;
}

/** "a, b, c and d". */
const listed = (words: string[]) => `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

/**
 * Reads the row's setting cells into `row`, in table order, and returns the
 * first problem. A cell with a problem sets nothing, and voids the other
 * cells of its group.
 */
function readSettings(row: RowSettings, cell: (key: ConfigColumnKey) => SheetValue | undefined): string | undefined {
  const readings = SETTING_COLUMNS.map((spec) => ({ group: spec.group ?? spec.key, reading: spec.read(cell(spec.key), spec.header) }));
  const problems = readings.flatMap(({ group, reading }) => ('problem' in reading ? [{ group, problem: reading.problem }] : []));
  const failed = new Set(problems.map((p) => p.group));
  for (const { group, reading } of readings) if (!failed.has(group) && 'apply' in reading) reading.apply?.(row);
  // position_size and risk_pct are read one cell at a time; whether the row can size at all needs both (and the stop).
  return problems[0]?.problem ?? sizingProblem({ ...row, stopLossPct: row.protection?.stopLossPct });
}

/**
 * Parses the Config tab's cells (row 0 = the tab's first row). The header is
 * the first of the top ten rows that names all of symbol, position_size,
 * active and Time Frame, in any order. Blank rows are skipped silently, rows
 * without a valid symbol with a reason. A row with a symbol that can't trade
 * (bad size, blank or unknown Time Frame, a repeated symbol and Time Frame)
 * is kept with its `problem`; repeated rows all get it, since which size was
 * meant is unknown.
 */
export function parseConfigTable(cells: readonly (readonly SheetValue[])[]): ConfigTable {
  let headerIndex = -1;
  let columns: ConfigColumns | null = null;
  for (let i = 0; i < Math.min(cells.length, 10) && !columns; i++) {
    columns = findColumns(cells[i] ?? []);
    headerIndex = i;
  }
  if (!columns) {
    throw new ConfigLayoutError(`Config tab has no header row with the columns ${listed(REQUIRED_COLUMNS.map((c) => c.header))}`);
  }
  const cols = columns;
  const table: ConfigTable = { headerRow: headerIndex + 1, columns: cols, rows: [], skipped: [] };
  for (let i = headerIndex + 1; i < cells.length; i++) {
    const raw = (col: number | undefined) => (col === undefined ? undefined : cells[i]?.[col]);
    const cell = (col: number | undefined) => asText(raw(col));
    const sheetRow = i + 1;
    if (REQUIRED_COLUMNS.every((spec) => cell(cols[spec.key]) === '')) continue;
    const symbol = normaliseSymbol(cell(cols.symbol));
    if (!symbol) {
      table.skipped.push({ sheetRow, reason: `symbol "${cell(cols.symbol).slice(0, 20)}" is not a valid symbol` });
      continue;
    }
    const label = cell(cols.timeframe);
    const timeframe = normaliseTimeframe(label);
    const row: ConfigRow = {
      sheetRow,
      symbol,
      timeframe: timeframe ?? (label === '' ? '' : `?${label.toLowerCase()}`),
      timeframeLabel: label,
      ...blankSettings(),
      shown: { status: cell(cols.orderStatus), reason: cell(cols.reason) },
    };
    const settingProblem = readSettings(row, (key) => raw(cols[key]));
    if (label === '') row.problem = `Time Frame is blank: ${TIMEFRAME_ADVICE}`;
    else if (!timeframe) row.problem = `Time Frame "${label.slice(0, 20)}" is not understood: ${TIMEFRAME_ADVICE}`;
    else if (settingProblem) row.problem = settingProblem;
    table.rows.push(row);
  }
  markRepeats(table.rows);
  return table;
}

/** Every row whose (symbol, timeframe) another row also has gets a problem naming all of them. */
function markRepeats(rows: ConfigRow[]): void {
  const byKey = new Map<string, ConfigRow[]>();
  for (const r of rows.filter((row) => row.timeframe !== '' && !row.timeframe.startsWith('?'))) {
    const key = `${r.symbol}|${r.timeframe}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  for (const same of byKey.values()) {
    if (same.length < 2) continue;
    const list = listed(same.map((r) => String(r.sheetRow)));
    for (const r of same) {
      r.problem = `${r.symbol} ${same[0].timeframeLabel} is on rows ${list}: keep one row per symbol and Time Frame`;
    }
  }
}

/**
 * The first row of `symbol` whose Time Frame is blank or not understood:
 * an alert that matches no row is answered with its problem, since that row
 * is most likely the one the trader meant.
 */
export function unkeyedRowFor(table: ConfigTable, symbol: string): ConfigRow | undefined {
  return table.rows.find((r) => r.symbol === symbol && (r.timeframe === '' || r.timeframe.startsWith('?')));
}

/** The row for (symbol, timeframe key), if the tab has one. */
export function findRow(table: ConfigTable, symbol: string, timeframe: string): ConfigRow | undefined {
  return table.rows.find((r) => r.symbol === symbol && r.timeframe === timeframe);
}
