/**
 * Entry filters, pure: a row's `trade_window` (New York times it may enter
 * in) and `cooldown_min` (minutes it waits after going flat), and
 * MAX_OPEN_POSITIONS (how many symbols may be held at once). Each rule says
 * why an entry must wait, in the words the row shows; the clock is passed in.
 */
import { DateTime } from 'luxon';

/** The trading window's and the cooldown's time zone: the market's. */
export const NEW_YORK = 'America/New_York';

/**
 * One range of a trading window, in minutes after New York midnight, both
 * ends inside (09:45-15:30 takes an alert at 15:30:40: a bar closing at 15:30
 * fires then); a range whose end is before its start runs past midnight.
 */
export interface WindowRange {
  start: number;
  end: number;
}

/** A row's trade_window: its ranges, and the text they read as (HH:MM-HH:MM, joined by ", "). */
export interface TradeWindow {
  ranges: WindowRange[];
  text: string;
}

/** What to type, said in every trade_window problem. */
export const WINDOW_ADVICE = 'type New York times like 09:45-15:30, or several ranges: 09:45-11:30, 13:30-15:30';

/** What to type, said in every cooldown_min problem. */
export const COOLDOWN_ADVICE = 'type the minutes to wait after the position goes flat, e.g. 30';

/** The longest cooldown read (a week): more is most likely a date or a typo. */
const MAX_COOLDOWN_MIN = 7 * 24 * 60;

const TIME = /^(\d{1,2}):(\d{2})$/;

/** "9:45" as minutes after midnight; 24:00 only as an end. Null when not a time. */
function minutesOf(text: string, isEnd: boolean): number | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const [hours, minutes] = [Number(m[1]), Number(m[2])];
  if (minutes > 59 || hours > 24 || (hours === 24 && (minutes > 0 || !isEnd))) return null;
  return hours * 60 + minutes;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Reads a trade_window cell: ranges `HH:MM-HH:MM` (one-digit hours and an en
 * dash accepted) separated by commas or semicolons. Blank = no window.
 * `header` names the column in the problem.
 */
export function parseTradeWindow(header: string, text: string): { window?: TradeWindow } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const bad = { error: `${header} "${trimmed.slice(0, 30)}" is not understood: ${WINDOW_ADVICE}` };
  const ranges: WindowRange[] = [];
  for (const part of trimmed.split(/[,;]/)) {
    const ends = part.trim().split(/\s*[-–]\s*/);
    if (ends.length !== 2) return bad;
    const start = minutesOf(ends[0], false);
    const end = minutesOf(ends[1], true);
    if (start === null || end === null) return bad;
    if (start === end) return { error: `${header} "${part.trim()}" starts and ends at the same time: ${WINDOW_ADVICE}` };
    ranges.push({ start, end });
  }
  return { window: { ranges, text: ranges.map((r) => `${hhmm(r.start)}-${hhmm(r.end)}`).join(', ') } };
}

/** True when `at` (New York time, to the minute) falls in one of the window's ranges. */
export function insideWindow(window: TradeWindow, at: Date): boolean {
  const ny = DateTime.fromJSDate(at).setZone(NEW_YORK);
  const minute = ny.hour * 60 + ny.minute;
  return window.ranges.some((r) => (r.start < r.end ? minute >= r.start && minute <= r.end : minute >= r.start || minute <= r.end));
}

/** Reads a cooldown_min cell: minutes (a number cell, or digits typed as text), 0 to a week. Blank or 0 = no cooldown. */
export function parseCooldown(header: string, value: string | number): { minutes?: number } | { error: string } {
  const text = String(value).trim();
  if (text === '') return {};
  const minutes = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > MAX_COOLDOWN_MIN) {
    return { error: `${header} "${text.slice(0, 20)}" is not a number of minutes from 0 to ${MAX_COOLDOWN_MIN}: ${COOLDOWN_ADVICE}` };
  }
  return minutes === 0 ? {} : { minutes };
}

/** When a cooldown of `minutes` that started at `flatAt` (ms) ends (ms). */
export function cooldownEnd(flatAt: number, minutes: number): number {
  return flatAt + minutes * 60_000;
}

/** `at` as New York HH:MM. */
export function newYorkTime(at: number): string {
  return DateTime.fromMillis(at).setZone(NEW_YORK).toFormat('HH:mm');
}

/** What a row's own filters judge an entry by: its window and cooldown, when it went flat (ms, if it is flat now), and now. */
export interface RowFilterFacts {
  window?: TradeWindow;
  cooldownMin?: number;
  flatSince?: number;
  now: Date;
}

/**
 * Why the row's entry must wait, or undefined when it may go: outside its
 * trading window ("outside trading window 09:45-15:30 ET"), else still
 * cooling down after going flat ("cooling down until 10:42 ET").
 */
export function rowFilterReason(facts: RowFilterFacts): string | undefined {
  if (facts.window && !insideWindow(facts.window, facts.now)) return `outside trading window ${facts.window.text} ET`;
  if (facts.cooldownMin === undefined || facts.flatSince === undefined) return undefined;
  const until = cooldownEnd(facts.flatSince, facts.cooldownMin);
  return facts.now.getTime() < until ? `cooling down until ${newYorkTime(until)} ET` : undefined;
}

/**
 * Why opening `symbol` must wait under MAX_OPEN_POSITIONS, or undefined:
 * `held` are the symbols the account holds; `symbol` itself never counts.
 */
export function maxOpenReason(held: readonly string[], symbol: string, max: number): string | undefined {
  const others = new Set(held.filter((s) => s !== symbol));
  return others.size >= max ? `max open positions (${max}) reached` : undefined;
}
