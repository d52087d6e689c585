import { describeError } from '../../domain/errors';
import type { GuardVerdict } from '../context';
import type { MarketClockCache } from './market-clock';

/**
 * With OFF_HOURS_POLICY=reject, refuses any order while the broker's clock
 * says the market is closed. An unreadable clock refuses too: real money
 * waits rather than guess. `queue` lets every order through, for Alpaca to hold.
 */
export function marketHoursGuard(policy: 'reject' | 'queue', clock: MarketClockCache): () => Promise<GuardVerdict | undefined> {
  return async () => {
    if (policy === 'queue') return undefined;
    try {
      const market = await clock.read();
      return market.isOpen ? undefined : { status: 'FAILED', reason: 'market closed', sheetStatus: 'FAILED' };
    } catch (err) {
      return { status: 'FAILED', reason: `market clock unavailable: ${describeError(err)}`, sheetStatus: 'FAILED' };
    }
  };
}
