import type { Signal } from '../../domain/types';
import type { TradingContext } from '../context';
import { withRetry } from '../../shared/retry';

/**
 * The price an order is sized from: the broker's latest price. With Alpaca
 * that is its latest trade, never the alert's price, which may be stale or
 * wrong (a short sized from it could be many times the row). The local paper
 * broker's latest price is the latest alert's, the price it fills at.
 */
export async function sizingPrice(ctx: TradingContext, signal: Signal): Promise<number> {
  return withRetry(ctx.clock, () => ctx.broker.getLatestPrice(signal.symbol));
}

/** The account's equity now, for the rows sized from it (a percentage of equity, risk_pct): Alpaca's `equity`, or the paper broker's. */
export async function sizingEquity(ctx: TradingContext): Promise<number> {
  return (await withRetry(ctx.clock, () => ctx.broker.getAccount())).equity;
}
