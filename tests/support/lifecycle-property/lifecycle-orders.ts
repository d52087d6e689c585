/**
 * The fake Alpaca's orders as the lifecycle property reads them: which are
 * an OCO's stop leg, open, or a resting protective exit (GTC), as opposed to
 * the day orders a trade works (market, or a limit row's limit legs).
 */

type WireOrder = Record<string, unknown>;

/** An OCO pair's stop leg, which Alpaca lists on its own with a client order id it chose. */
export function isOcoLeg(o: WireOrder): boolean {
  return o.order_class === 'oco' && o.type === 'stop' && !String(o.client_order_id).startsWith('tb-');
}

const OPEN = new Set(['new', 'accepted', 'pending_new', 'partially_filled', 'held', 'accepted_for_bidding', 'pending_cancel']);
/** Still working at the broker (a cancel asked for included). */
export const isOpen = (o: WireOrder) => OPEN.has(String(o.status));
/**
 * A protective exit resting at the broker: the bot sends those GTC, and only those (a limit row's
 * limit legs are day orders, worked like market orders).
 */
export const isResting = (o: WireOrder) => o.time_in_force === 'gtc' || o.order_class === 'oco';
/** A limit row's working leg (an entry, an exit or a flip's leg), not a protective limit. */
export const isLimitLeg = (o: WireOrder) => o.type === 'limit' && !isResting(o);
