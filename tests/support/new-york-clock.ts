/** A server clock set to a New York date and time, for tests that depend on the session (pre-market, after-hours). */
import { DateTime } from 'luxon';
import type { Clock } from '../../src/ports';
import { systemClock } from '../../src/shared/clock';

/** A clock set to `date` at `hhmm` New York time, running with real time from there. */
export function newYorkClock(date: string, hhmm: string): Clock {
  const base = DateTime.fromISO(`${date}T${hhmm}`, { zone: 'America/New_York' }).toMillis();
  const started = Date.now();
  return { now: () => new Date(base + (Date.now() - started)), sleep: systemClock.sleep };
}
