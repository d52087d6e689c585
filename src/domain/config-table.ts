import { normaliseSymbol } from './symbol';
import { normaliseTimeframe } from './timeframe';
import type { Direction } from './types';

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
  /** Per-row mode: the row's own signed shares, written by the bot. */
  position?: number;
}

/** One usable Config row. `problem` is set when the row exists but can't trade (bad size). */
export interface ConfigRow {
  /** 1-based row number in the tab. */
  sheetRow: number;
  symbol: string;
  /** Canonical timeframe key (see normaliseTimeframe). */
  timeframe: string;
  /** The Time Frame cell as the trader wrote it. */
  timeframeLabel: string;
  positionSize: number;
  active: boolean;
  /** Which sides the row may hold (the optional `direction` column; blank = both). */
  direction: Direction;
  problem?: string;
}

/** The Config tab, read: its columns, usable rows, and rows skipped with the reason. */
export interface ConfigTable {
  headerRow: number;
  columns: ConfigColumns;
  rows: ConfigRow[];
  skipped: { sheetRow: number; reason: string }[];
}

/** Headers compare case- and space-insensitively ("Time Frame" = "timeframe" = "time_frame"). */
const key = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, '');

const HEADERS: Record<keyof ConfigColumns, string[]> = {
  symbol: ['symbol', 'ticker'],
  positionSize: ['positionsize'],
  active: ['active'],
  timeframe: ['timeframe'],
  orderStatus: ['orderstatus'],
  lastUpdated: ['lastupdated'],
  reason: ['reason'],
  direction: ['direction'],
  position: ['position'],
};
const REQUIRED: (keyof ConfigColumns)[] = ['symbol', 'positionSize', 'active', 'timeframe'];

/** Thrown when the tab has no header row with the required columns. */
export class ConfigLayoutError extends Error {
  override name = 'ConfigLayoutError';
}

/** Reads "$5,000", "5000" or "5,000.50" as dollars; null when not a number. */
export function parseDollars(text: string): number | null {
  const cleaned = text.trim().replace(/[$,\s]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** Checkbox cells read TRUE/FALSE; a few hand-typed spellings of yes are accepted too. */
function parseActive(text: string): boolean {
  return ['true', 'yes', 'y', '1', 'x', '✓', '✔', 'on'].includes(text.trim().toLowerCase());
}

/** `direction` cells, compared case- and space-insensitively. */
const DIRECTIONS: Record<string, Direction> = { '': 'both', both: 'both', longonly: 'long only', shortonly: 'short only' };

/** The row's direction, or null when the cell says something else. */
export function parseDirection(text: string): Direction | null {
  const word = text.toLowerCase().replace(/[\s_-]+/g, '');
  return Object.hasOwn(DIRECTIONS, word) ? DIRECTIONS[word] : null;
}

function findColumns(header: string[]): ConfigColumns | null {
  const found: Partial<ConfigColumns> = {};
  header.forEach((cell, i) => {
    for (const [name, aliases] of Object.entries(HEADERS) as [keyof ConfigColumns, string[]][]) {
      if (found[name] === undefined && aliases.includes(key(cell))) found[name] = i;
    }
  });
  return REQUIRED.every((name) => found[name] !== undefined) ? (found as ConfigColumns) : null;
}

/**
 * Parses the Config tab's cells (row 0 = the tab's first row). The header is
 * the first of the top ten rows that names all of symbol, position_size,
 * active and Time Frame, in any order. Blank rows are skipped silently, bad
 * rows with a reason; a bad position_size keeps the row with a `problem`.
 */
export function parseConfigTable(cells: string[][]): ConfigTable {
  let headerIndex = -1;
  let columns: ConfigColumns | null = null;
  for (let i = 0; i < Math.min(cells.length, 10) && !columns; i++) {
    columns = findColumns(cells[i] ?? []);
    headerIndex = i;
  }
  if (!columns) {
    throw new ConfigLayoutError('Config tab has no header row with the columns symbol, position_size, active and Time Frame');
  }
  const table: ConfigTable = { headerRow: headerIndex + 1, columns, rows: [], skipped: [] };
  const seen = new Set<string>();
  for (let i = headerIndex + 1; i < cells.length; i++) {
    const cell = (col: number) => String(cells[i]?.[col] ?? '').trim();
    const sheetRow = i + 1;
    if ([columns.symbol, columns.positionSize, columns.active, columns.timeframe].every((c) => cell(c) === '')) continue;
    const symbol = normaliseSymbol(cell(columns.symbol));
    if (!symbol) {
      table.skipped.push({ sheetRow, reason: `symbol "${cell(columns.symbol).slice(0, 20)}" is not a valid symbol` });
      continue;
    }
    const timeframe = normaliseTimeframe(cell(columns.timeframe));
    if (!timeframe) {
      table.skipped.push({ sheetRow, reason: `Time Frame "${cell(columns.timeframe).slice(0, 20)}" is not understood` });
      continue;
    }
    if (seen.has(`${symbol}|${timeframe}`)) {
      table.skipped.push({ sheetRow, reason: `${symbol} ${cell(columns.timeframe)} repeats an earlier row; the first one is used` });
      continue;
    }
    seen.add(`${symbol}|${timeframe}`);
    const size = parseDollars(cell(columns.positionSize));
    const row: ConfigRow = {
      sheetRow,
      symbol,
      timeframe,
      timeframeLabel: cell(columns.timeframe),
      positionSize: size ?? 0,
      active: parseActive(cell(columns.active)),
      direction: 'both',
    };
    const direction = columns.direction === undefined ? 'both' : parseDirection(cell(columns.direction));
    if (direction) row.direction = direction;
    else row.problem = `direction "${cell(columns.direction!).slice(0, 20)}" must be blank, both, long only or short only`;
    if (size === null) row.problem = `position_size "${cell(columns.positionSize).slice(0, 20)}" is not a dollar amount`;
    else if (size <= 0) row.problem = `position_size ${size} must be more than 0`;
    table.rows.push(row);
  }
  return table;
}

/** The row for (symbol, timeframe key), if the tab has one. */
export function findRow(table: ConfigTable, symbol: string, timeframe: string): ConfigRow | undefined {
  return table.rows.find((r) => r.symbol === symbol && r.timeframe === timeframe);
}
