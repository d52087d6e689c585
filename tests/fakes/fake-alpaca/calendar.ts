/**
 * Alpaca's market calendar (`GET /v2/calendar`) and the extended sessions.
 * Every weekday trades, 09:30–16:00 with pre-market from 04:00 and
 * after-hours to 20:00 (New York), except the holidays and early closes a
 * test sets. Which session the fake is in is the test's to say
 * (`setSession`), as whether the market is open is; the calendar is what
 * the bot reads to decide on its side.
 */
import type { Book } from './book';
import type { CalendarChanges, Reply } from './types';

/** Which session the fake trades in: regular hours are `marketOpen`; pre-market and after-hours take only extended-hours orders. */
export type FakeSession = 'pre' | 'regular' | 'after' | 'closed';

const DAY_MS = 86_400_000;
/** Alpaca serves 1970–2029; a test asks for a few days, so a year is plenty. */
const MAX_DAYS = 366;

/** The days from `start` to `end` (dates or date-times: their first ten characters), as Alpaca's calendar lists them. */
export function calendarJson(changes: CalendarChanges, query: URLSearchParams): Reply {
  const today = new Date().toISOString().slice(0, 10);
  const start = (query.get('start') ?? today).slice(0, 10);
  const end = (query.get('end') ?? start).slice(0, 10);
  const from = Date.parse(`${start}T00:00:00Z`);
  const to = Date.parse(`${end}T00:00:00Z`);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { status: 400, body: { code: 40010000, message: 'invalid start or end' } };
  const days: Record<string, string>[] = [];
  for (let t = from; t <= to && days.length < MAX_DAYS; t += DAY_MS) {
    const d = new Date(t);
    const date = d.toISOString().slice(0, 10);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || changes.holidays.has(date)) continue;
    const early = changes.earlyCloses.get(date);
    days.push({
      date,
      open: '09:30',
      close: early ?? '16:00',
      session_open: '0400',
      session_close: early ? '1700' : '2000',
      settlement_date: new Date(t + 2 * DAY_MS).toISOString().slice(0, 10),
    });
  }
  return { status: 200, body: days };
}

/** Puts the book in `session`: the market opens for regular hours only; pre-market and after-hours are remembered beside it. */
export function setSession(book: Book, session: FakeSession): void {
  book.marketOpen = session === 'regular';
  book.extendedSession = session === 'pre' || session === 'after' ? session : undefined;
}

/**
 * True when an order may trade now: any order in regular hours (crypto always), an extended-hours one in pre-market or
 * after-hours.
 */
export function tradesNow(book: Book, order: { symbol: string; extended_hours?: boolean }): boolean {
  return book.marketOpenFor(order.symbol) || (order.extended_hours === true && book.extendedSession !== undefined);
}
