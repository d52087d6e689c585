import { createHash } from 'node:crypto';
import type { Signal } from './types';

/**
 * How a signal is recognised when it comes again. `stable` identities (an
 * explicit id, or a TradingView time) match forever; `window` identities (the
 * payload alone) match only within the dedupe window, because an identical
 * payload minutes later is a new alert.
 */
export interface SignalIdentity {
  key: string;
  kind: 'stable' | 'window';
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The identity of a signal; see SignalIdentity for the two kinds. */
export function identify(signal: Signal): SignalIdentity {
  const what = `${signal.action}|${signal.symbol}|${signal.timeframe}`;
  if (signal.explicitId) return { key: `id:${hash(`${signal.symbol}|${signal.explicitId}`)}`, kind: 'stable' };
  const when = signal.firedAt ?? signal.barTime;
  if (when) return { key: `t:${hash(`${what}|${when}`)}`, kind: 'stable' };
  return { key: `p:${hash(`${what}|${signal.price ?? ''}`)}`, kind: 'window' };
}
