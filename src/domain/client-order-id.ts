/**
 * The bot's client order ids. Every order it sends carries the prefix, so its
 * own working orders can be told from orders placed by hand or by other tools,
 * which it leaves alone.
 */

/** The prefix of every client order id the bot sends. */
export const BOT_ORDER_PREFIX = 'tb-';

/**
 * Which leg of a signal an order is: close, open, a scale change, an
 * emergency flatten, or (per-row mode) `net`: another row's cancelled order
 * sent again, smaller, once part of it netted out inside the symbol.
 */
export type OrderLeg = 'close' | 'open' | 'scale' | 'flatten' | 'net';

/** `tb-<signal id>-<leg>`: unique per signal and leg (well under Alpaca's 128 characters), so a retry can never double it. */
export function clientOrderId(signalId: string, leg: OrderLeg): string {
  return `${BOT_ORDER_PREFIX}${signalId}-${leg}`;
}

/** True for an order the bot sent itself. */
export function isBotOrder(clientOrderId: string | undefined): boolean {
  return typeof clientOrderId === 'string' && clientOrderId.startsWith(BOT_ORDER_PREFIX);
}
