/**
 * Reading one Config cell: what a row's settings are (`RowSettings`), and
 * the reader of each setting column, which the Config column table
 * (`config-columns.ts`) names. Pure.
 */
import type { Direction } from '../types';
import { parseCooldown, parseTradeWindow, type TradeWindow } from './entry-filters';
import { parsePct, type ProtectionSettings } from './protection';
import { parsePositionSize, type PositionSize } from './sizing';
import { type OrderType, parseLimitOffset, parseOrderType } from './limit-price';

export { parseDollars } from './sizing';

/**
 * A Config cell as the sheet gives it: text, or a typed number or boolean
 * (Sheets' UNFORMATTED_VALUE), so a number reads the same in every locale.
 */
export type SheetValue = string | number | boolean;

/** What a Config row's setting columns give it. */
export interface RowSettings {
  /** Dollars per trade when `position_size` is in dollars (the webhook's `amount`, GET /config); 0 when the row is sized otherwise. */
  positionSize: number;
  /** The `position_size` cell in its form (dollars, shares, % of equity); absent when blank. */
  size?: PositionSize;
  /** `risk_pct`: percent of equity a stop-out at stop_loss_pct loses; it sizes the row instead of `size`. */
  riskPct?: number;
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
  /** `extended_hours`: trade in pre-market and after-hours as Alpaca allows there; absent when blank or FALSE. */
  extendedHours?: boolean;
  /** How the row's orders go (`order_type`); absent when blank: at market. */
  orderType?: OrderType;
  /** `limit_offset_pct`: how far through the last trade a limit order is priced; absent when blank (the default). */
  limitOffsetPct?: number;
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

/** position_size: dollars, shares or a % of equity (`parsePositionSize`); a blank cell is judged with risk_pct (`sizingProblem`). */
export const sizeCell: CellReader = (cell) => {
  const read = parsePositionSize(cell);
  if ('problem' in read) return read;
  const size = read.size;
  return size ? { apply: (row) => void ((row.size = size), (row.positionSize = size.kind === 'dollars' ? size.value : 0)) } : {};
};

/** risk_pct: a positive percentage of equity under 100 (`1`, `0.5%`); blank = the row sizes by position_size. */
export const riskPctCell: CellReader = (cell, header) => {
  const text = asText(cell).replace(/%$/, '').trim();
  if (text === '') return {};
  const pct = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(pct > 0 && pct < 100)) {
    return { problem: `${header} "${asText(cell).slice(0, 20)}" must be a percentage of equity over 0 and under 100, e.g. 1 or 0.5%` };
  }
  return { apply: (row) => void (row.riskPct = pct) };
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

/** Spellings an `extended_hours` cell may take besides a checkbox's TRUE/FALSE. */
const YES = ['true', 'yes', 'y', '1', 'on', 'x', '✓', '✔'];
const NO = ['false', 'no', 'n', '0', 'off'];

/** extended_hours: a checkbox, TRUE or FALSE (blank = FALSE); anything else is a problem naming the column. */
export const extendedHoursCell: CellReader = (cell, header) => {
  const text = asText(cell).toLowerCase();
  if (text === '' || NO.includes(text)) return {};
  if (YES.includes(text)) return { apply: (row) => void (row.extendedHours = true) };
  return { problem: `${header} "${asText(cell).slice(0, 20)}" must be TRUE or FALSE (a checkbox), e.g. TRUE` };
};

/** order_type: market (blank) or limit (see `parseOrderType`). */
export const orderTypeCell: CellReader = (cell, header) => {
  const read = parseOrderType(header, asText(cell));
  if ('error' in read) return { problem: read.error };
  const type = read.type;
  return type === undefined ? {} : { apply: (row) => void (row.orderType = type) };
};

/** limit_offset_pct: a percentage through the last trade (see `parseLimitOffset`). */
export const limitOffsetCell: CellReader = (cell, header) => {
  const read = parseLimitOffset(header, asText(cell));
  if ('error' in read) return { problem: read.error };
  const pct = read.pct;
  return pct === undefined ? {} : { apply: (row) => void (row.limitOffsetPct = pct) };
};
