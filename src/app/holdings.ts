import { RejectedError } from '../domain/errors';
import type { WorkingOrder } from '../domain/trade-plan';
import type { Order } from '../domain/types';
import type { TradingContext } from './context';
import { awaitFinal, withRetry } from './place-order';

/** What the account holds in a symbol: the position, and the bot's own orders still working. */
export interface Holdings {
  /** Signed shares (negative short, 0 flat). */
  position: number;
  /** Alpaca's latest price on the position, when there is one. */
  currentPrice?: number;
  working: WorkingOrder[];
}

/** How long a cancel may take to land (or lose to a fill) before planning gives up. */
const CANCEL_SETTLE_MS = 10_000;

/** Reads the position and the bot's own open orders for `symbol`; orders placed by others are not counted. */
export async function readHoldings(ctx: TradingContext, symbol: string, price?: number): Promise<Holdings> {
  const [position, orders] = await Promise.all([
    withRetry(ctx.clock, () => ctx.broker.getPosition(symbol)),
    withRetry(ctx.clock, () => ctx.broker.listOwnOpenOrders(symbol)),
  ]);
  const mark = position?.currentPrice ?? price;
  return { position: position?.qty ?? 0, currentPrice: position?.currentPrice, working: orders.map((o) => workingOrder(o, mark)) };
}

/** What an open order would still add, in shares; a dollar order is converted at `price` (its sign is what matters most). */
function workingOrder(order: Order, price: number | undefined): WorkingOrder {
  const qty = order.qty !== undefined ? order.qty - order.filledQty : order.notional !== undefined && price ? order.notional / price : 0;
  return { id: order.id, side: order.side, qty: Math.max(0, qty) };
}

/**
 * Cancels the bot's working orders and waits until the broker says each one
 * ended, cancelled or filled: a cancel is asynchronous and may lose to a fill,
 * so only then can the position be read and planned from.
 */
export async function cancelAndSettle(ctx: TradingContext, orderIds: string[]): Promise<void> {
  for (const id of orderIds) {
    await withRetry(ctx.clock, () => ctx.broker.cancelOrder(id));
    const order = await withRetry(ctx.clock, () => ctx.broker.getOrder(id));
    const final = order.state === 'open' ? await awaitFinal(ctx, order, CANCEL_SETTLE_MS, 250) : order;
    ctx.logger.info('order.cancelled_before_plan', { symbol: final.symbol, order_id: id, client_order_id: final.clientOrderId, ended: final.status });
    if (final.state === 'open') throw new RejectedError(`order ${id} is still working after its cancel`);
  }
}
