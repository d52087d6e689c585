/**
 * Reading one Config cell: what a row's settings are (`RowSettings`), and
 * the reader of each setting column, which the Config column table
 * (`config-columns.ts`) names. Pure.
 */
import type { Direction } from '../types';
import { parseCooldown, parseTradeWindow, type TradeWindow } from './entry-filters';
import { parsePct, type ProtectionSettings } from './protection';

/**
 * A Config cell as the sheet gives it: text, or a typed number or boolean
 * (Sheets' UNFORMATTED_VALUE), so a number reads the same in every locale.
 */
export type SheetValue = string | number | boolean;

/** What a Config row's setting columns give it. */
export interface RowSettings {
  /** Dollars per trade (`position_size`). */
  positionSize: number;
  /** The `active` checkbox. */
  active: boolean;
  /** Which sides the row may hold (the optional `direction` column; blank = both). */
  direction: Direction;
  /** Protective exits the row asks for (stop_loss_pct, take_profit_pct, trail_pct); absent when all are blank. */
  protection?: ProtectionSettings;
  /** New York times the row may enter in (`trade_window`); absent when blank: any time. */
  tradeWindow?: TradeWindow;
  /** Minutes the row waits to enter after its position went flat (`cooldown_min`); absent when blank or 0. */
  cooldownMin?: number;
}

/** A row's settings before its cells are read, and what a cell that can't be read leaves. */
export const blankSettings = (): RowSettings => ({ positionSize: 0, active: false, direction: 'both' });

/** What a setting cell gives its row: a change (none for a blank optional cell), or why the row can't trade. */
export type CellReading = { apply?: (row: RowSettings) => void } | { problem: string };

/** Reads a setting column's cell (undefined when the tab has no such column); `header` is the column's documented name. */
export type CellReader = (cell: SheetValue | undefined, header: string) => CellReading;

/** A cell as text: booleans as TRUE/FALSE, numbers in plain digits. */
export function asText(value: SheetValue | undefined): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value ?? '').trim();
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
export function parseActive(text: string): boolean {
  return ['true', 'yes', 'y', '1', 'x', '✓', '✔', 'on'].includes(text.trim().toLowerCase());
}

/** `direction` cells, compared case- and space-insensitively. */
const DIRECTIONS: Record<string, Direction> = { '': 'both', both: 'both', longonly: 'long only', shortonly: 'short only' };

/** The row's direction, or null when the cell says something else. */
export function parseDirection(text: string): Direction | null {
  const word = text.toLowerCase().replace(/[\s_-]+/g, '');
  return Object.hasOwn(DIRECTIONS, word) ? DIRECTIONS[word] : null;
}

/** position_size: dollars (see `readSize`). */
export const sizeCell: CellReader = (cell) => {
  const read = readSize(cell);
  return 'problem' in read ? read : { apply: (row) => void (row.positionSize = read.size) };
};

/** active: a ticked checkbox or a typed yes. */
export const activeCell: CellReader = (cell) => {
  const on = parseActive(asText(cell));
  return { apply: (row) => void (row.active = on) };
};

/** direction: blank or both, long only, short only. */
export const directionCell: CellReader = (cell, header) => {
  const text = asText(cell);
  const read = parseDirection(text);
  if (!read) return { problem: `${header} "${text.slice(0, 20)}" must be blank, both, long only or short only` };
  return { apply: (row) => void (row.direction = read) };
};

/** A protective exit's percentage (see `parsePct`), into the row's `protection`. */
export const protectionPctCell =
  (name: keyof ProtectionSettings): CellReader =>
  (cell, header) => {
    const read = parsePct(header, asText(cell));
    if ('error' in read) return { problem: read.error };
    const pct = read.pct;
    return pct === undefined ? {} : { apply: (row) => void (row.protection = { ...row.protection, [name]: pct }) };
  };

/** trade_window: New York time ranges (see `parseTradeWindow`); a number cell (a time the sheet converted) is a problem. */
export const tradeWindowCell: CellReader = (cell, header) => {
  const read = parseTradeWindow(header, typeof cell === 'number' ? String(cell) : asText(cell));
  if ('error' in read) return { problem: read.error };
  const window = read.window;
  return window ? { apply: (row) => void (row.tradeWindow = window) } : {};
};

/** cooldown_min: minutes (see `parseCooldown`). */
export const cooldownCell: CellReader = (cell, header) => {
  const read = parseCooldown(header, typeof cell === 'number' ? cell : asText(cell));
  if ('error' in read) return { problem: read.error };
  const minutes = read.minutes;
  return minutes === undefined ? {} : { apply: (row) => void (row.cooldownMin = minutes) };
};
