/**
 * The US equity sessions of a trading day, as the broker's calendar states
 * them: pre-market from `session_open` to the open, regular hours, and
 * after-hours from the close to `session_close`. A holiday has no day; an
 * early close moves the start of after-hours with it. Pure.
 */
import { DateTime } from 'luxon';
import { NEW_YORK } from './entry-filters';

/** Which session a moment is in: pre-market, regular hours, after-hours, or none. */
export type Session = 'pre' | 'regular' | 'after' | 'closed';

/** One trading day's session bounds, as ISO UTC instants (so the day's own time zone is settled once, where it is read). */
export interface TradingDay {
  /** The New York date, `YYYY-MM-DD`. */
  date: string;
  /** Pre-market begins (`session_open`, usually 04:00 New York). */
  sessionOpen: string;
  /** Regular hours begin (`open`, usually 09:30). */
  open: string;
  /** Regular hours end (`close`, usually 16:00; 13:00 on an early close). */
  close: string;
  /** After-hours ends (`session_close`, usually 20:00). */
  sessionClose: string;
}

/** The New York date of `now`, `YYYY-MM-DD`: the calendar day a moment belongs to. */
export function newYorkDate(now: Date): string {
  return DateTime.fromJSDate(now, { zone: NEW_YORK }).toISODate()!;
}

/**
 * A calendar entry read into instants: `date` (`YYYY-MM-DD`), `open` and
 * `close` as `HH:MM`, `sessionOpen` and `sessionClose` as `HHMM` (Alpaca's
 * forms), all New York times. Null when a time can't be read.
 */
export function tradingDayOf(entry: {
  date: string;
  open: string;
  close: string;
  sessionOpen: string;
  sessionClose: string;
}): TradingDay | null {
  const at = (time: string): string | null => {
    const m = /^(\d{2}):?(\d{2})$/.exec(time.trim());
    if (!m) return null;
    const t = DateTime.fromISO(`${entry.date}T${m[1]}:${m[2]}`, { zone: NEW_YORK });
    return t.isValid ? t.toUTC().toISO() : null;
  };
  const [sessionOpen, open, close, sessionClose] = [entry.sessionOpen, entry.open, entry.close, entry.sessionClose].map(at);
  if (!sessionOpen || !open || !close || !sessionClose) return null;
  return { date: entry.date, sessionOpen, open, close, sessionClose };
}

/** A day whose regular hours cover the whole New York date: a market that is always open (the local paper broker's). */
export function allDayRegular(date: string): TradingDay {
  const start = DateTime.fromISO(date, { zone: NEW_YORK }).startOf('day');
  const [from, to] = [start.toUTC().toISO()!, start.plus({ days: 1 }).toUTC().toISO()!];
  return { date, sessionOpen: from, open: from, close: to, sessionClose: to };
}

/** The session `now` falls in on `day` (null: no trading that day, so closed). Each bound belongs to the session it starts. */
export function sessionAt(day: TradingDay | null, now: Date): Session {
  if (!day) return 'closed';
  const t = now.getTime();
  if (t < Date.parse(day.sessionOpen) || t >= Date.parse(day.sessionClose)) return 'closed';
  if (t < Date.parse(day.open)) return 'pre';
  return t < Date.parse(day.close) ? 'regular' : 'after';
}

/** True for the sessions outside regular hours in which extended-hours orders trade. */
export const isExtendedSession = (session: Session): session is 'pre' | 'after' => session === 'pre' || session === 'after';
