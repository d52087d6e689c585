import type { ConfigRow } from '../../domain/config-table';
import type { TradeIntent } from '../../domain/trade-plan';
import type { GuardVerdict } from '../context';

/** Refuses to open a position from a row whose position_size is over `maxUsd`; closing is never capped. */
export function sizeCapGuard(maxUsd: number): (row: ConfigRow, intent: TradeIntent) => GuardVerdict | undefined {
  return (row, intent) => {
    if (intent.kind !== 'trade' || !intent.open || row.positionSize <= maxUsd) return undefined;
    const reason = `position_size $${row.positionSize.toLocaleString('en-US')} is over MAX_POSITION_USD $${maxUsd.toLocaleString('en-US')}`;
    return { status: 'FAILED', reason, sheetStatus: 'FAILED' };
  };
}
