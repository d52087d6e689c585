/**
 * The bot's client order ids. Every order it sends carries the prefix, so its
 * own working orders can be told from orders placed by hand or by other tools,
 * which it leaves alone.
 */
import { RejectedError } from '../errors';
import type { BrokerRules } from './broker-rules';
import type { ProtectiveLeg } from './protection';

/** The prefix of every client order id the bot sends. */
export const BOT_ORDER_PREFIX = 'tb-';

/**
 * Which leg of a signal an order is: close, open, a scale change, an
 * emergency flatten, a protective exit (stop loss, take profit, trailing
 * stop), or (per-row mode) `net`: another row's cancelled order sent again,
 * smaller, once part of it netted out inside the symbol.
 */
export type OrderLeg = 'close' | 'open' | 'scale' | 'flatten' | 'net' | ProtectiveLeg;

/** The legs of a signal's protective exits. */
export const PROTECTIVE_LEGS: readonly ProtectiveLeg[] = ['sl', 'tp', 'trail'];

/**
 * `tb-<signal id>-<leg>`: unique per signal and leg, so a retry can never
 * double it. A protective exit placed again for the same signal (after its
 * first was cancelled) is numbered, `-sl2`, `-sl3`…, since a broker may
 * never accept a client order id twice (Alpaca doesn't). The journal's
 * signal ids keep it well under the broker's longest
 * (`rules.maxClientOrderIdLength`, Alpaca's 128); a longer one is a
 * RejectedError here rather than a refusal after the send.
 */
export function clientOrderId(signalId: string, leg: OrderLeg, rules: Pick<BrokerRules, 'maxClientOrderIdLength'>, placement = 1): string {
  const id = `${BOT_ORDER_PREFIX}${signalId}-${leg}${placement > 1 ? placement : ''}`;
  if (id.length > rules.maxClientOrderIdLength) {
    throw new RejectedError(`client order id ${id} is longer than the broker's ${rules.maxClientOrderIdLength} characters`);
  }
  return id;
}

/**
 * Ids sent before the prefix existed: `<signal id>-open` / `-close`, the signal
 * id being base-36 milliseconds and 10 hex digits. Still the bot's own, so an
 * order queued for the open before an upgrade is counted and cancelled like any other.
 */
const UNPREFIXED = /^[0-9a-z]{6,12}[0-9a-f]{10}-(open|close)$/;

const PROTECTIVE = /-(sl|tp|trail)\d*$/;

/**
 * True for one of the bot's protective exits (`tb-…-sl`, `-tp`, `-trail`, numbered when placed
 * again): working orders that hold the position rather than change it.
 */
export function isProtectiveOrder(clientOrderId: string | undefined): boolean {
  return isBotOrder(clientOrderId) && PROTECTIVE.test(clientOrderId!);
}

/** True for an order the bot sent itself. */
export function isBotOrder(clientOrderId: string | undefined): boolean {
  return typeof clientOrderId === 'string' && (clientOrderId.startsWith(BOT_ORDER_PREFIX) || UNPREFIXED.test(clientOrderId));
}
