/**
 * How an order goes in the pre-market and after-hours sessions, as Alpaca
 * requires there: a DAY limit order marked extended_hours, in whole shares,
 * priced a little through the last trade. Pure.
 */
import type { Side } from '../types';
import type { AssetRules } from './broker-rules';
import { limitPriceFrom } from './limit-price';
import { isExtendedSession, type Session } from './session';

/** The terms an order takes in an extended session. */
export interface SessionTerms {
  limitPrice: number;
  timeInForce: 'day';
  extendedHours: true;
}

/**
 * The one place an order's terms for the session are decided: in pre-market
 * or after-hours, a DAY limit `offsetPct` percent through `last` (see
 * `limitPriceFrom`), marked extended_hours; in regular hours or outside every
 * session, undefined (the order goes as it would without the setting).
 */
export function sessionOrderTerms(
  session: Session,
  side: Side,
  last: number,
  offsetPct: number,
  rules: Pick<AssetRules, 'ticksPerDollar'>,
): SessionTerms | undefined {
  if (!isExtendedSession(session)) return undefined;
  return { limitPrice: limitPriceFrom(side, last, offsetPct, rules), timeInForce: 'day', extendedHours: true };
}

/** What an order becomes in the session: an extended-hours limit for whole shares, the order as it was, or a refusal. */
export type SessionOrder = { kind: 'extended'; qty: number; terms: SessionTerms } | { kind: 'as is' } | { kind: 'refused'; reason: string };

/** An order leg and what `sessionOrder` needs to know about it. */
export interface SessionOrderInput {
  session: Session;
  symbol: string;
  side: Side;
  qty?: number;
  notional?: number;
  /** True when the order reduces exposure: an exit is never refused here. */
  exit: boolean;
  last: number;
  offsetPct: number;
  rules: Pick<AssetRules, 'ticksPerDollar'>;
}

/**
 * The order for an extended session: dollars become whole shares at the
 * limit price (floor), a share count is floored to whole shares. Less than
 * one share is refused. An exit of a fractional quantity can't go in
 * extended hours (Alpaca trades whole shares there), so it goes as it was,
 * for the broker to hold until the open, rather than leave part of the
 * position behind. Outside pre-market and after-hours: as it was.
 */
export function sessionOrder(input: SessionOrderInput): SessionOrder {
  const terms = sessionOrderTerms(input.session, input.side, input.last, input.offsetPct, input.rules);
  if (!terms) return { kind: 'as is' };
  const { qty, notional } = input;
  if (notional === undefined && qty !== undefined && !Number.isInteger(qty) && input.exit) return { kind: 'as is' };
  const whole = notional !== undefined ? Math.floor(notional / terms.limitPrice) : Math.floor((qty ?? 0) + 1e-9);
  if (whole >= 1) return { kind: 'extended', qty: whole, terms };
  const asked = notional !== undefined ? `$${notional}` : `${qty} shares`;
  return {
    kind: 'refused',
    reason:
      `${asked} is less than 1 whole share of ${input.symbol} at the extended-hours limit $${terms.limitPrice}` +
      ' (extended hours trade whole shares only)',
  };
}
