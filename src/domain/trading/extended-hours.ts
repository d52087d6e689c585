/**
 * How an order goes in the pre-market and after-hours sessions, as Alpaca
 * requires there: a DAY limit order marked extended_hours, in whole shares,
 * priced a little through the last trade (`limit-price.ts` prices it). Pure.
 */
import type { LimitTerms } from './order-meaning';
import { isExtendedSession, type Session } from './session';

/** An order leg as the session sees it: its size, and whether it reduces exposure. */
export interface SessionLeg {
  qty?: number;
  notional?: number;
  /** True when the order reduces exposure: it is never refused for the session. */
  exit: boolean;
}

/**
 * The limit terms an order takes in pre-market or after-hours: a limit `offsetPct` through the last trade,
 * marked extended hours. Undefined when it goes as it would without the setting: in regular hours, outside
 * every session, and for an exit of a fractional quantity (Alpaca trades whole shares there), which goes as
 * planned for the broker to hold until the open rather than leave part of the position behind.
 */
export function sessionLimit(session: Session, leg: SessionLeg, offsetPct: number): LimitTerms | undefined {
  if (!isExtendedSession(session)) return undefined;
  if (leg.exit && leg.notional === undefined && leg.qty !== undefined && !Number.isInteger(leg.qty)) return undefined;
  return { offsetPct, extendedHours: true };
}
