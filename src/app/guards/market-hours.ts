import { describeError } from '../../domain/errors';
import { isExtendedSession } from '../../domain/trading/session';
import type { GuardVerdict } from '../context';
import type { MarketClockCache } from './market-clock';
import type { MarketSessions } from './market-session';

/**
 * With OFF_HOURS_POLICY=reject, refuses any order while the broker's clock
 * says the market is closed. An unreadable clock refuses a trade that opens
 * exposure (real money waits rather than guess) but never an exit
 * (`exitOnly`): the broker holds it until the open if need be. `queue` lets
 * every order through, for Alpaca to hold. A row with extended_hours passes
 * in pre-market and after-hours (its orders then go as extended-hours
 * limits); when the calendar can't be read, the policy decides as for any row.
 */
export function marketHoursGuard(
  policy: 'reject' | 'queue',
  clock: MarketClockCache,
  sessions: MarketSessions,
): (exitOnly: boolean, extendedHours: boolean) => Promise<GuardVerdict | undefined> {
  return async (exitOnly, extendedHours) => {
    if (policy === 'queue') return undefined;
    if (extendedHours && (await inExtendedSession(sessions))) return undefined;
    try {
      const market = await clock.read();
      return market.isOpen ? undefined : { status: 'FAILED', reason: 'market closed', sheetStatus: 'FAILED' };
    } catch (err) {
      return exitOnly ? undefined : { status: 'FAILED', reason: `market clock unavailable: ${describeError(err)}`, sheetStatus: 'FAILED' };
    }
  };
}

/** True in pre-market or after-hours; false too when the calendar can't be read. */
async function inExtendedSession(sessions: MarketSessions): Promise<boolean> {
  try {
    return isExtendedSession(await sessions.now());
  } catch {
    return false;
  }
}
