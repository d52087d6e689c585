import { createHash } from 'node:crypto';
import type { Signal } from '../types';

/**
 * How a signal is recognised when it comes again. `stable` identities carry a
 * TradingView time and match forever (a resend, even after a restart);
 * `window` identities have no time and match only within the dedupe window,
 * because an identical payload minutes later is a new alert.
 */
export interface SignalIdentity {
  key: string;
  kind: 'stable' | 'window';
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The identity of a signal: (symbol, timeframe, action, `id`, `time`/`timenow`).
 * An `id` alone never makes it stable: strategies commonly send
 * `{{strategy.order.id}}`, the order's *name* ("Long", "Exit"), which repeats
 * on every trade. A strategy alert's position after the order
 * (`market_position` and its sizes) is part of its action: two partial exits
 * on one bar share the action word, the order name and `{{time}}`, but not
 * the size they leave. Without `time` or `timenow` the price joins the key and
 * it matches only within the window.
 */
export function identify(signal: Signal): SignalIdentity {
  const s = signal.strategy;
  const strategy = s ? [s.marketPosition, s.size ?? '', s.prevSize ?? '', s.prevMarketPosition ?? ''].join('/') : '';
  const what = [signal.symbol, signal.timeframe, signal.action, signal.explicitId ?? '', ...(strategy ? [strategy] : [])].join('|');
  if (signal.firedAt || signal.barTime) {
    return { key: `t:${hash(`${what}|${signal.barTime ?? ''}|${signal.firedAt ?? ''}`)}`, kind: 'stable' };
  }
  return { key: `p:${hash(`${what}|${signal.price ?? ''}`)}`, kind: 'window' };
}
