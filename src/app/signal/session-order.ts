/*
 * An order leg as the session wants it: in pre-market and after-hours, a
 * row with extended_hours sends a DAY limit order marked extended_hours, in
 * whole shares, priced from the broker's latest trade (`limit-order.ts`
 * prices it); otherwise the leg goes as planned (and OFF_HOURS_POLICY has
 * already decided whether it may).
 */
import { describeError } from '../../domain/errors';
import { isCryptoSymbol } from '../../domain/signal/symbol';
import { sessionLimit } from '../../domain/trading/extended-hours';
import { DEFAULT_LIMIT_OFFSET_PCT } from '../../domain/trading/limit-price';
import type { OrderMeaning } from '../../domain/trading/order-meaning';
import type { Session } from '../../domain/trading/session';
import type { TradingContext } from '../context';
import type { TradeJob } from '../trade-job';
import type { LegOrder } from './limit-order';

/**
 * The leg's meaning for the session now: unchanged unless it says the row
 * trades extended hours and the calendar puts now in pre-market or
 * after-hours; then it goes as an extended-hours limit (see `sessionLimit`),
 * at the row's `limit_offset_pct`.
 */
export async function meaningForSession(ctx: TradingContext, job: TradeJob, order: LegOrder, meaning: OrderMeaning): Promise<OrderMeaning> {
  // Crypto trades around the clock: it has no extended session, and takes no DAY order.
  if (!meaning.extendedHours || order.resting || meaning.limit?.extendedHours || isCryptoSymbol(job.signal.symbol)) return meaning;
  const session = await currentSession(ctx);
  const offsetPct = meaning.limit?.offsetPct ?? job.row?.limitOffsetPct ?? DEFAULT_LIMIT_OFFSET_PCT;
  const limit = sessionLimit(session, { qty: order.qty, notional: order.notional, exit: meaning.role !== 'entry' }, offsetPct);
  if (!limit) return meaning;
  ctx.logger.info('order.extended_hours', { signal: job.signalId, session, offset_pct: offsetPct });
  return { ...meaning, limit };
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
