/*
 * An order leg as the session wants it: in pre-market and after-hours, a
 * row with extended_hours sends a DAY limit order marked extended_hours, in
 * whole shares, priced from the broker's latest trade; otherwise the leg goes
 * as planned (and OFF_HOURS_POLICY has already decided whether it may).
 */
import { describeError } from '../../domain/errors';
import { assetRules } from '../../domain/trading/broker-rules';
import { sessionOrder } from '../../domain/trading/extended-hours';
import { DEFAULT_LIMIT_OFFSET_PCT } from '../../domain/trading/limit-price';
import type { OrderMeaning } from '../../domain/trading/order-meaning';
import { isExtendedSession, type Session } from '../../domain/trading/session';
import type { OrderRequest } from '../../domain/types';
import type { GuardVerdict, TradingContext } from '../context';
import { sizingPrice } from '../positions/sizing-price';
import type { TradeJob } from '../trade-job';

/** A leg's order fields, before the symbol, the client order id and the reference price are added. */
export type LegOrder = Omit<OrderRequest, 'symbol' | 'clientOrderId' | 'referencePrice'>;

/**
 * The leg for the session now: unchanged unless its meaning says the row
 * trades extended hours and the calendar puts now in pre-market or
 * after-hours. Then it is priced from the latest trade (see `sessionOrder`).
 * An entry that can't be priced, or comes to less than one whole share, is
 * refused (FAILED); an exit never is: without a price it goes as planned,
 * for the broker to hold until the open.
 */
export async function orderForSession(
  ctx: TradingContext,
  job: TradeJob,
  order: LegOrder,
  meaning: OrderMeaning,
): Promise<{ order: LegOrder } | { refused: GuardVerdict }> {
  if (!meaning.extendedHours || order.resting || order.limitPrice !== undefined) return { order };
  const session = await currentSession(ctx);
  if (!isExtendedSession(session)) return { order };
  const exit = meaning.role !== 'entry';
  const failed = (reason: string) => ({ refused: { status: 'FAILED', reason, sheetStatus: 'FAILED' } });
  let last: number;
  try {
    last = await sizingPrice(ctx, job.signal);
  } catch (err) {
    return exit ? { order } : failed(`no latest price for ${job.signal.symbol}: ${describeError(err)}`);
  }
  // The row's limit_offset_pct takes this default's place once Config rows carry one.
  const offsetPct = DEFAULT_LIMIT_OFFSET_PCT;
  const rules = assetRules(ctx.broker.rules);
  const decided = sessionOrder({ session, symbol: job.signal.symbol, ...order, exit, last, offsetPct, rules });
  if (decided.kind === 'refused') return failed(decided.reason);
  if (decided.kind === 'as is') return { order };
  ctx.logger.info('order.extended_hours', { signal: job.signalId, session, last, limit_price: decided.terms.limitPrice, qty: decided.qty });
  return { order: { side: order.side, qty: decided.qty, ...decided.terms } };
}

/** The session now by the broker's calendar; `regular` (the order as planned) when there is no calendar or it can't be read. */
async function currentSession(ctx: TradingContext): Promise<Session> {
  if (!ctx.sessions) return 'regular';
  try {
    return await ctx.sessions.now();
  } catch (err) {
    ctx.logger.warn('calendar.unavailable', { error: describeError(err) });
    return 'regular';
  }
}
