import { describeError } from '../domain/errors';
import type { Order } from '../domain/types';
import type { GuardVerdict, TradingContext } from './context';
import { isSuperseded } from './holdings';
import { conclude } from './outcome';
import { awaitFinal } from './place-order';
import { protectAfterFill } from './protection';
import { rowQty } from './row-books';
import { retellSharedRows } from './shared-rows';
import type { TradeJob } from './trade-job';

/**
 * Follows an order that leaves the symbol `held` (an opening order, or a size
 * change) to its end, then places the row's protection for what is held. The symbol's lock is held until it fills, or until the
 * flip timeout, so the next signal plans on the real position; past that it
 * is followed in the background.
 */
export async function followEntry(ctx: TradingContext, job: TradeJob, order: Order, held: 'long' | 'short', refusal?: GuardVerdict): Promise<void> {
  const final = await awaitFinal(ctx, order, ctx.timings.flipFillTimeoutMs);
  if (final.state === 'open') {
    ctx.follower.follow(final, (f) => {
      settleEntry(ctx, job, f, held, refusal);
      return ctx.locks.run(job.signal.symbol, () => protectAfterFill(ctx, job, f));
    });
  } else {
    settleEntry(ctx, job, final, held, refusal);
    await protectAfterFill(ctx, job, final);
  }
}

/**
 * Writes the outcome of an order that leaves the symbol `held`: FILLED (and
 * the other rows retold), or FAILED. In per-row mode a row this leaves flat
 * (its close carried by a net that crossed zero) shows WAITING, or the
 * `refusal` of its own entry when there was one.
 */
export function settleEntry(ctx: TradingContext, job: TradeJob, order: Order, held: 'long' | 'short', refusal?: GuardVerdict): void {
  if (isSuperseded(ctx, order.clientOrderId)) return;
  if (order.state === 'filled' && refusal) {
    const closed = ctx.journal.ordersForSignal(job.signalId).reduce((sum, o) => sum + (o.filledQty ?? 0), 0);
    return settleFlat(ctx, job, closed, refusal);
  }
  if (order.state === 'filled') {
    const rowFlat = ctx.positionMode === 'per-row' && rowQty(ctx, job.signal.symbol, job.signal.timeframe) === 0;
    conclude(ctx, job.signalId, job.signal, { status: rowFlat ? 'WAITING' : 'FILLED', decision: `${order.side} ${order.filledQty} @ ${order.filledAvgPrice}`, sheet: true });
    retellSharedRows(ctx, job, held);
  } else {
    conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: `order ${order.status}: ${order.reason ?? 'no reason given'}`, decision: 'order failed', sheet: true });
  }
}

/** Ends a signal whose position was closed and nothing opened: WAITING, or the refusal of its opening leg. */
export function settleFlat(ctx: TradingContext, job: TradeJob, closedQty: number, refusal?: GuardVerdict): void {
  if (refusal) {
    const reason = `closed ${closedQty}; not opened: ${refusal.reason}`;
    conclude(ctx, job.signalId, job.signal, { status: refusal.sheetStatus ?? 'FAILED', reason, decision: 'closed; entry refused', sheet: true });
  } else {
    conclude(ctx, job.signalId, job.signal, { status: 'WAITING', decision: `closed ${closedQty}`, sheet: true });
  }
  retellSharedRows(ctx, job, undefined);
}

/** Marks a signal FAILED when work after its answer went wrong. */
export function failLate(ctx: TradingContext, job: TradeJob, err: unknown): void {
  ctx.logger.error('signal.trade_error', { signal: job.signalId, symbol: job.signal.symbol, error: describeError(err) });
  conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: describeError(err), decision: 'error', sheet: true });
}
