/**
 * The Controls tab: one row per control, its name in column A, its value in
 * B and a note in C. The trader ticks Halt and types FLATTEN; the bot writes
 * the rest. Rows are found by name, so the trader may move them. Pure.
 */
import type { SheetValue } from '../trading/config-table';

/** The controls, by the name in column A, in the order a new tab lists them. */
export const CONTROL_NAMES = ['Halt', 'Flatten', 'Bot alive', 'Mode', 'Order events', 'Halted since'] as const;

/** One control's name. */
export type ControlName = (typeof CONTROL_NAMES)[number];

/** The header row of a new Controls tab. */
export const CONTROLS_HEADER = ['control', 'value', 'note'] as const;

/** The word that, typed into the Flatten cell, closes everything. */
export const FLATTEN_WORD = 'FLATTEN';

/** What a new tab's note column says of each control the bot alone writes. */
export const CONTROL_HINTS: Record<ControlName, string> = {
  Halt: 'tick to halt new entries, untick to resume',
  Flatten: `type ${FLATTEN_WORD} to cancel every order and close every position`,
  'Bot alive': 'when the bot last read this tab',
  Mode: 'local, paper or live',
  'Order events': 'stream or polling',
  'Halted since': 'when trading was halted',
};

/** A control's cells as read: its 1-based row, its value (B) and its note (C). */
export interface ControlCell {
  row: number;
  value: SheetValue;
  note: string;
}

/** The tab as read: the cells of each control found, and where a missing one would go. */
export interface ControlsLayout {
  cells: Partial<Record<ControlName, ControlCell>>;
  /** Controls with no row yet, in CONTROL_NAMES order. */
  missing: ControlName[];
  /** The first row after the last one in use (1-based). */
  nextRow: number;
  /** True when the tab holds nothing at all, so it also needs its header. */
  empty: boolean;
}

const text = (v: SheetValue | undefined) => (v === undefined ? '' : String(v)).trim();

/** Finds each control by its name in column A (case and spaces ignored); the first row with a name wins. */
export function readControls(rows: SheetValue[][]): ControlsLayout {
  const cells: ControlsLayout['cells'] = {};
  const key = (name: string) => name.toLowerCase().replace(/\s+/g, ' ');
  rows.forEach((row, i) => {
    const name = CONTROL_NAMES.find((n) => key(n) === key(text(row[0])));
    if (name && !cells[name]) cells[name] = { row: i + 1, value: row[1] ?? '', note: text(row[2]) };
  });
  const used = rows.reduce((last, row, i) => (row.some((c) => text(c) !== '') ? i + 1 : last), 0);
  return { cells, missing: CONTROL_NAMES.filter((n) => !cells[n]), nextRow: used + 1, empty: used === 0 };
}

/** True for a ticked checkbox: the boolean TRUE, or the text TRUE in a CSV file. */
export function isTicked(value: SheetValue | undefined): boolean {
  return value === true || text(value).toUpperCase() === 'TRUE';
}

/** What the trader typed into the Flatten cell: nothing, the command, or another word (left alone, with a note). */
export function flattenCommand(value: SheetValue | undefined): 'none' | 'flatten' | 'other' {
  const typed = text(value);
  if (typed === '') return 'none';
  return typed.toUpperCase() === FLATTEN_WORD ? 'flatten' : 'other';
}

/** The note beside a Flatten cell holding something other than the command. */
export function notACommandNote(value: SheetValue): string {
  return `"${text(value).slice(0, 40)}" is not a command: type ${FLATTEN_WORD} to cancel every order and close every position`;
}

/** The rows of a new Controls tab (header first), with the bot's current values. */
export function newControlsRows(values: Record<ControlName, string | boolean>): (string | boolean)[][] {
  return [[...CONTROLS_HEADER], ...CONTROL_NAMES.map((name) => [name, values[name], CONTROL_HINTS[name]])];
}
