import type { Signal } from '../../domain/types';
import type { GuardVerdict } from '../context';

/**
 * Refuses a signal whose fire time (`timenow`) is more than `maxAgeSeconds`
 * from its arrival, either way (a future time means a wrong clock somewhere).
 * The bar time (`time`) is never used: for a 15-minute bar it is already 15
 * minutes old when the alert fires. Without a fire time the check can't apply.
 */
export function staleGuard(maxAgeSeconds: number): (signal: Signal, receivedAt: number) => GuardVerdict | undefined {
  return (signal, receivedAt) => {
    if (maxAgeSeconds <= 0 || !signal.firedAt) return undefined;
    const ageS = Math.round((receivedAt - Date.parse(signal.firedAt)) / 1000);
    if (Math.abs(ageS) <= maxAgeSeconds) return undefined;
    const reason =
      ageS > 0
        ? `stale signal: fired ${ageS}s ago, limit MAX_SIGNAL_AGE_SECONDS=${maxAgeSeconds}`
        : `stale signal: fire time is ${-ageS}s in the future; check the server clock`;
    return { status: 'stale', reason, sheetStatus: 'FAILED' };
  };
}
