import type { EntryValue, GuardVerdict } from '../context';

const usd = (n: number) => `$${(Math.round(n * 100) / 100).toLocaleString('en-US')}`;

/**
 * MAX_POSITION_USD on every entry: the order's own value, and the position
 * it would leave. Exits are never capped.
 */
export function sizeCapGuard(maxUsd: number): (value: EntryValue) => GuardVerdict | undefined {
  return ({ orderValue, resultingValue }) => {
    // A cent of slack: notional orders are floored to cents, prices are not.
    if (orderValue > maxUsd + 0.005) {
      return { status: 'FAILED', reason: `order of ${usd(orderValue)} is over MAX_POSITION_USD ${usd(maxUsd)}`, sheetStatus: 'FAILED' };
    }
    if (resultingValue > maxUsd + 0.005) {
      return {
        status: 'FAILED',
        reason: `the position would be worth ${usd(resultingValue)}, over MAX_POSITION_USD ${usd(maxUsd)}`,
        sheetStatus: 'FAILED',
      };
    }
    return undefined;
  };
}
