import { parsePct, PROTECTION_COLUMNS, type ProtectionSettings, wantsProtection } from './protection';
import { normaliseSymbol } from '../signal/symbol';
import { normaliseTimeframe } from '../signal/timeframe';
import type { Direction } from '../types';

/** 0-based positions of the Config tab's columns, found by header name. */
export interface ConfigColumns {
  symbol: number;
  positionSize: number;
  active: number;
  timeframe: number;
  orderStatus?: number;
  lastUpdated?: number;
  reason?: number;
  direction?: number;
  stopLossPct?: number;
  takeProfitPct?: number;
  trailPct?: number;
  /** Per-row mode: the row's own signed shares, written by the bot. */
  position?: number;
}

/**
 * A Config cell as the sheet gives it: text, or a typed number or boolean
 * (Sheets' UNFORMATTED_VALUE), so a number reads the same in every locale.
 */
export type SheetValue = string | number | boolean;

/**
 * One Config row with a symbol. `problem` is set when the row exists but can't
 * trade (a bad size, a blank or unknown Time Frame, a repeated symbol and
 * Time Frame): the row shows FAILED with it, and its alerts answer with it.
 */
export interface ConfigRow {
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
  positionSize: number;
  active: boolean;
  /** Which sides the row may hold (the optional `direction` column; blank = both). */
  direction: Direction;
  /** Protective exits the row asks for (stop_loss_pct, take_profit_pct, trail_pct); absent when all are blank. */
  protection?: ProtectionSettings;
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

/** Headers compare case- and space-insensitively ("Time Frame" = "timeframe" = "time_frame"). */
export const headerKey = (header: string): string => header.toLowerCase().replace(/[\s_-]+/g, '');
const key = headerKey;

const HEADERS: Record<keyof ConfigColumns, string[]> = {
  symbol: ['symbol', 'ticker'],
  positionSize: ['positionsize'],
  active: ['active'],
  timeframe: ['timeframe'],
  orderStatus: ['orderstatus'],
  lastUpdated: ['lastupdated'],
  reason: ['reason'],
  direction: ['direction'],
  stopLossPct: ['stoplosspct'],
  takeProfitPct: ['takeprofitpct'],
  trailPct: ['trailpct'],
  position: ['position'],
};
const REQUIRED: (keyof ConfigColumns)[] = ['symbol', 'positionSize', 'active', 'timeframe'];

/** Thrown when the tab has no header row with the required columns. */
export class ConfigLayoutError extends Error {
  override name = 'ConfigLayoutError';
}

/** US-style dollars: `5000`, `5,000`, `$5,000.50`, `-$20`; commas only between groups of three, at most two decimals. */
const US_DOLLARS = /^(-?)\$?(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?$/;

/**
 * Reads text strictly as US-style dollars ("$5,000", "5000", "5,000.50");
 * null for anything else. `1.500,00`, `5.000` and `5 000` are null, never
 * $1.50 or $5: a size typed in another locale's style must not be misread.
 */
export function parseDollars(text: string): number | null {
  const m = US_DOLLARS.exec(text.trim());
  if (!m || (m[1] && m[2])) return null;
  return Number(`${m[1] || m[2]}${m[3].replace(/,/g, '')}${m[4] ?? ''}`);
}

/** What to type, said in every size problem. */
const SIZE_ADVICE = 'type the dollars as a plain number (1500 or 1500.50), or US-style ($1,500.50)';

/** The size in a position_size cell: a number cell as is, a text cell strictly US-style; else the problem. */
export function readSize(value: SheetValue | undefined): { size: number } | { problem: string } {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value > 0 ? { size: value } : { problem: `position_size ${value} must be more than 0` };
  }
  const text = String(value ?? '').trim();
  if (text === '') return { problem: `position_size is blank: ${SIZE_ADVICE}` };
  const size = parseDollars(text);
  if (size === null) return { problem: `position_size "${text.slice(0, 20)}" is not a US-style dollar amount: ${SIZE_ADVICE}` };
  return size > 0 ? { size } : { problem: `position_size ${size} must be more than 0` };
}

/** Checkbox cells read TRUE/FALSE (true/false unformatted); a few hand-typed spellings of yes are accepted too. */
function parseActive(text: string): boolean {
  return ['true', 'yes', 'y', '1', 'x', '✓', '✔', 'on'].includes(text.trim().toLowerCase());
}

/** A cell as text: booleans as TRUE/FALSE, numbers in plain digits. */
function asText(value: SheetValue | undefined): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value ?? '').trim();
}

const TIMEFRAME_ADVICE = "type the chart's timeframe, e.g. 15 Min, 1 Hour or 1 Day";

/** `direction` cells, compared case- and space-insensitively. */
const DIRECTIONS: Record<string, Direction> = { '': 'both', both: 'both', longonly: 'long only', shortonly: 'short only' };

/** The row's direction, or null when the cell says something else. */
export function parseDirection(text: string): Direction | null {
  const word = text.toLowerCase().replace(/[\s_-]+/g, '');
  return Object.hasOwn(DIRECTIONS, word) ? DIRECTIONS[word] : null;
}

function findColumns(header: readonly SheetValue[]): ConfigColumns | null {
  const found: Partial<ConfigColumns> = {};
  header.forEach((cell, i) => {
    for (const [name, aliases] of Object.entries(HEADERS) as [keyof ConfigColumns, string[]][]) {
      if (found[name] === undefined && aliases.includes(key(asText(cell)))) found[name] = i;
    }
  });
  return REQUIRED.every((name) => found[name] !== undefined) ? (found as ConfigColumns) : null;
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
    throw new ConfigLayoutError('Config tab has no header row with the columns symbol, position_size, active and Time Frame');
  }
  const cols = columns;
  const table: ConfigTable = { headerRow: headerIndex + 1, columns: cols, rows: [], skipped: [] };
  for (let i = headerIndex + 1; i < cells.length; i++) {
    const raw = (col: number | undefined) => (col === undefined ? undefined : cells[i]?.[col]);
    const cell = (col: number | undefined) => asText(raw(col));
    const sheetRow = i + 1;
    if ([cols.symbol, cols.positionSize, cols.active, cols.timeframe].every((c) => cell(c) === '')) continue;
    const symbol = normaliseSymbol(cell(cols.symbol));
    if (!symbol) {
      table.skipped.push({ sheetRow, reason: `symbol "${cell(cols.symbol).slice(0, 20)}" is not a valid symbol` });
      continue;
    }
    const label = cell(cols.timeframe);
    const timeframe = normaliseTimeframe(label);
    const size = readSize(raw(cols.positionSize));
    const row: ConfigRow = {
      sheetRow,
      symbol,
      timeframe: timeframe ?? (label === '' ? '' : `?${label.toLowerCase()}`),
      timeframeLabel: label,
      positionSize: 'size' in size ? size.size : 0,
      active: parseActive(cell(cols.active)),
      direction: 'both',
      shown: { status: cell(cols.orderStatus), reason: cell(cols.reason) },
    };
    const direction = cols.direction === undefined ? 'both' : parseDirection(cell(cols.direction));
    if (direction) row.direction = direction;
    if (label === '') row.problem = `Time Frame is blank: ${TIMEFRAME_ADVICE}`;
    else if (!timeframe) row.problem = `Time Frame "${label.slice(0, 20)}" is not understood: ${TIMEFRAME_ADVICE}`;
    else if ('problem' in size) row.problem = size.problem;
    else if (!direction) row.problem = `direction "${cell(cols.direction).slice(0, 20)}" must be blank, both, long only or short only`;
    const protection = readProtection(cols, cell);
    if ('error' in protection) row.problem ??= protection.error;
    else if (wantsProtection(protection.settings)) row.protection = protection.settings;
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
    const where = same.map((r) => r.sheetRow);
    const list = `${where.slice(0, -1).join(', ')} and ${where[where.length - 1]}`;
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

/** The row's protective exit columns; the first bad cell is the error. */
function readProtection(columns: ConfigColumns, cell: (col: number) => string): { settings: ProtectionSettings } | { error: string } {
  const settings: ProtectionSettings = {};
  for (const name of Object.keys(PROTECTION_COLUMNS) as (keyof ProtectionSettings)[]) {
    const col = columns[name];
    if (col === undefined) continue;
    const parsed = parsePct(PROTECTION_COLUMNS[name], cell(col));
    if ('error' in parsed) return { error: parsed.error };
    if (parsed.pct !== undefined) settings[name] = parsed.pct;
  }
  return { settings };
}

/** The row for (symbol, timeframe key), if the tab has one. */
export function findRow(table: ConfigTable, symbol: string, timeframe: string): ConfigRow | undefined {
  return table.rows.find((r) => r.symbol === symbol && r.timeframe === timeframe);
}
