import { describeError } from '../../domain/errors';
import { maxOpenReason, rowFilterReason } from '../../domain/trading/entry-filters';
import type { Broker, Clock } from '../../ports';
import { withRetry } from '../../shared/retry';
import type { EntryFilterInput, GuardVerdict } from '../context';

const waiting = (reason: string): GuardVerdict => ({ status: 'WAITING', reason, sheetStatus: 'WAITING' });

/**
 * The entry filters: the row's trade_window and cooldown_min (New York time,
 * by the server's clock), then MAX_OPEN_POSITIONS. An entry they stop is
 * WAITING with the reason; exits never come here. The broker's positions are
 * read only for an entry that would open a new symbol while a cap is set; a
 * failed read refuses that entry (FAILED), since the cap can't be checked.
 */
export function entryFilterGuard(o: {
  clock: Clock;
  broker: Pick<Broker, 'listPositions'>;
  maxOpenPositions?: number;
}): (input: EntryFilterInput) => Promise<GuardVerdict | undefined> {
  return async ({ symbol, row, flatSince, opensSymbol }) => {
    const own = rowFilterReason({ window: row.tradeWindow, cooldownMin: row.cooldownMin, flatSince, now: o.clock.now() });
    if (own) return waiting(own);
    if (o.maxOpenPositions === undefined || !opensSymbol) return undefined;
    try {
      const positions = await withRetry(o.clock, () => o.broker.listPositions());
      const held = positions.filter((p) => p.qty !== 0).map((p) => p.symbol);
      const reason = maxOpenReason(held, symbol, o.maxOpenPositions);
      return reason ? waiting(reason) : undefined;
    } catch (err) {
      return { status: 'FAILED', reason: `positions unavailable for MAX_OPEN_POSITIONS: ${describeError(err)}`, sheetStatus: 'FAILED' };
    }
  };
}
