import { isProtectiveOrder } from '../../domain/trading/client-order-id';
import { RejectedError } from '../../domain/errors';
import type { WorkingOrder } from '../../domain/trading/trade-plan';
import type { Order, Signal } from '../../domain/types';
import type { TradingContext } from '../context';
import { sizingPrice } from './sizing-price';
import { conclude } from '../outcome';
import { jobLabel, type TradeJob } from '../trade-job';
import { cancelAndWait } from '../orders/cancel-and-wait';
import { withRetry } from '../../shared/retry';

/** What the account holds in a symbol: the position, and the bot's own orders still working. */
export interface Holdings {
  /** Signed shares (negative short, 0 flat). */
  position: number;
  /** Alpaca's latest price on the position, when there is one. */
  currentPrice?: number;
  /** The position's average entry price, when there is one. */
  avgEntryPrice?: number;
  working: WorkingOrder[];
  /** The same working orders as the broker reports them (client order ids included); protective exits are not among them. */
  orders: Order[];
  /**
   * The bot's protective exits resting for the symbol: they hold the position, so they are not
   * working orders, but every trade cancels them first.
   */
  protection: Order[];
}

/** The side the position plus the working orders point to; undefined when that is flat. */
export function heldSide(holdings: Holdings): 'long' | 'short' | undefined {
  const qty = holdings.position + holdings.working.reduce((sum, o) => sum + (o.side === 'buy' ? o.qty : -o.qty), 0);
  return Math.abs(qty) < 1e-9 ? undefined : qty > 0 ? 'long' : 'short';
}

/** Reads the position and the bot's own open orders for `symbol`; orders placed by others are not counted. */
export async function readHoldings(ctx: TradingContext, signal: Signal): Promise<Holdings> {
  const [position, orders] = await Promise.all([
    withRetry(ctx.clock, () => ctx.broker.getPosition(signal.symbol)),
    withRetry(ctx.clock, () => ctx.broker.listOwnOpenOrders(signal.symbol)),
  ]);
  const protection = orders.filter((o) => isProtectiveOrder(o.clientOrderId));
  const working = orders.filter((o) => !isProtectiveOrder(o.clientOrderId));
  const dollarOrders = working.some((o) => o.qty === undefined);
  const mark = position?.currentPrice ?? (dollarOrders ? await sizingPrice(ctx, signal) : undefined);
  return {
    position: position?.qty ?? 0,
    currentPrice: position?.currentPrice,
    avgEntryPrice: position?.avgEntryPrice,
    working: working.map((o) => workingOrder(o, mark)),
    orders: working,
    protection,
  };
}

/** What an open order would still add, in shares; a dollar order is converted at `price`. */
function workingOrder(order: Order, price: number | undefined): WorkingOrder {
  const qty = order.qty !== undefined ? order.qty - order.filledQty : (order.notional ?? 0) / (price ?? Number.NaN);
  if (!(qty >= 0)) throw new RejectedError(`working order ${order.id} could not be valued`);
  return { id: order.id, side: order.side, qty };
}

/**
 * Cancels the bot's working orders a newer signal's plan says to, and waits
 * until the broker says each one ended, cancelled or filled: a cancel is
 * asynchronous and may lose to a fill, so only then can the position be read
 * and planned from. Each is marked superseded first, so whatever its fill was
 * to set off never happens; its fills still move their books.
 */
export async function cancelAndSettle(ctx: TradingContext, holdings: Holdings, orderIds: string[], by: TradeJob): Promise<void> {
  for (const order of holdings.orders.filter((o) => orderIds.includes(o.id))) {
    ctx.journal.markSuperseded(order.clientOrderId, by.signalId);
    const final = await cancelAndWait(ctx, order);
    ctx.logger.info('order.cancelled_before_plan', {
      symbol: final.symbol,
      order_id: order.id,
      client_order_id: final.clientOrderId,
      ended: final.status,
    });
    await ctx.orders.settleNow(final.clientOrderId, false);
    settleSuperseded(ctx, final, by);
  }
}

/**
 * Ends the signal whose order a newer signal cancelled: FILLED when the
 * order filled first, else WAITING "superseded by …". Its own row is left to
 * the newer signal; another row is told.
 */
function settleSuperseded(ctx: TradingContext, order: Order, by: TradeJob): void {
  const record = ctx.journal.getOrder(order.clientOrderId);
  const owner = record && ctx.journal.getSignal(record.signalId);
  if (!record || !owner || owner.state === 'done') return;
  const sheet = owner.signal.timeframe !== by.signal.timeframe;
  const reason = `superseded by ${jobLabel(by)}`;
  if (order.state === 'filled' && record.leg !== 'close') {
    conclude(ctx, owner.id, owner.signal, { status: 'FILLED', decision: 'filled before its cancel landed', sheet });
  } else {
    conclude(ctx, owner.id, owner.signal, { status: 'WAITING', reason, decision: 'cancelled: ' + reason, sheet });
  }
}
