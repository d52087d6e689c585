import { describeError } from '../../domain/errors';
import type { GuardVerdict } from '../context';
import type { MarketClockCache } from './market-clock';

/**
 * With OFF_HOURS_POLICY=reject, refuses any order while the broker's clock
 * says the market is closed. An unreadable clock refuses a trade that opens
 * exposure (real money waits rather than guess) but never an exit
 * (`exitOnly`): the broker holds it until the open if need be. `queue` lets
 * every order through, for Alpaca to hold.
 */
export function marketHoursGuard(
  policy: 'reject' | 'queue',
  clock: MarketClockCache,
): (exitOnly: boolean) => Promise<GuardVerdict | undefined> {
  return async (exitOnly) => {
    if (policy === 'queue') return undefined;
    try {
      const market = await clock.read();
      return market.isOpen ? undefined : { status: 'FAILED', reason: 'market closed', sheetStatus: 'FAILED' };
    } catch (err) {
      return exitOnly ? undefined : { status: 'FAILED', reason: `market clock unavailable: ${describeError(err)}`, sheetStatus: 'FAILED' };
    }
  };
}
