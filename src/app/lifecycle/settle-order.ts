/**
 * What an ended order sets off, as journaled with it when it was sent. The
 * reactor applies this once per order, under the symbol's lock, whenever the
 * order ends (seconds, hours or a restart later): the position's protection
 * facts, the row's status, the next leg (a flip's opening leg, which expires;
 * the rest of an exit, which never does), and the protection check that ends
 * every settled event. An order a newer signal superseded keeps only its
 * facts: its fills and what the position now holds.
 */
import { describeError, RejectedError } from '../../domain/errors';
import { roleOf } from '../../domain/trading/order-meaning';
import { endedInTime, retryExit } from './timed-out';
import type { Order, Position } from '../../domain/types';
import type { OrderRecord } from '../../ports';
import type { GuardVerdict, TradingContext } from '../context';
import type { Settle } from '../orders/order-reactor';
import { isFlattenId, netFlattenedBooks } from './flatten';
import { conclude } from '../outcome';
import { ENTRY_LOOKBACK, ensureProtection, hasSettledEntry, settleProtective } from '../protection/protection';
import { rerunSignal } from '../signal/rerun';
import { linearBackoff, pollUntil, withRetry } from '../../shared/retry';
import type { TradeJob } from '../trade-job';
import { followHot, sendLeg } from '../signal/trade-legs';

/** The reactor's settle step for this context. */
export function createSettle(ctx: TradingContext): Settle {
  return async (record, order, checkProtection) => {
    let continued = false;
    if (record.role === 'protective') {
      await settleProtective(ctx, record, order);
    } else {
      const job = jobOf(ctx, record.signalId, record.meaning.label);
      noteProtection(ctx, record, order, job);
      // A fill a flatten did not see in time: with it, the rows may now net to flat.
      if (isFlattenId(record.supersededBy) && order.filledQty > 0)
        netFlattenedBooks(ctx, record.supersededBy, record.symbol, order.filledAvgPrice);
      if (job && !record.supersededBy && record.role !== 'flatten') {
        if (endedInTime(record, order) && record.role === 'entry') settleUnfilledEntry(ctx, job, record, order);
        else if (endedInTime(record, order)) continued = await retryExit(ctx, job, record, order);
        else if (record.leg === 'close') continued = await settleClose(ctx, job, record, order);
        else settleLeg(ctx, job, record, order);
      }
    }
    for (const waiting of ctx.journal.releaseSignalsBehind(record.clientOrderId)) {
      await rerunSignal(ctx, waiting);
      continued = true;
    }
    // A leg sent on from here checked protection when it settled itself.
    if (checkProtection && !continued) await ensureProtection(ctx, record.symbol);
  };
}

/** The journaled signal that sent an order, as a job: settling needs only the signal (and how its row names itself). */
export function jobOf(ctx: TradingContext, signalId: string, label?: string): TradeJob | undefined {
  const record = ctx.journal.getSignal(signalId);
  return record && { signalId, signal: record.signal, label };
}

/**
 * The protection the position should have after this fill: an entry sets its
 * row's (or none, when its row asks for none), unless the entry of a signal
 * that came after it was settled first (entries queued together fill at the
 * open, and their events may come in any order: the newer signal's row
 * decides); a close or flatten leaves the symbol flat, so none. A reduction
 * keeps what there was, resized by the check.
 */
function noteProtection(ctx: TradingContext, record: OrderRecord, order: Order, job: TradeJob | undefined): void {
  if (!(order.filledQty > 0)) return;
  if (record.role === 'entry') {
    if (newerEntrySettled(ctx, record)) return;
    const settings = record.meaning.protect;
    const held = order.side === 'buy' ? 'long' : 'short';
    ctx.journal.setProtection(
      record.symbol,
      job && settings
        ? {
            signalId: job.signalId,
            timeframe: job.signal.timeframe,
            side: held,
            settings,
            entryPrice: record.leg === 'open' ? order.filledAvgPrice : undefined,
          }
        : undefined,
    );
  } else if (record.leg === 'close' || record.role === 'flatten') {
    ctx.journal.setProtection(record.symbol, undefined);
  }
}

/** True when a signal that arrived after this order's (same symbol) already had its entry settled. */
function newerEntrySettled(ctx: TradingContext, record: OrderRecord): boolean {
  const receivedAt = ctx.journal.getSignal(record.signalId)?.receivedAt;
  if (receivedAt === undefined) return false;
  const recent = ctx.journal.recentSignals({ limit: ENTRY_LOOKBACK, symbol: record.symbol, sinceMs: receivedAt }); // newest first
  const own = recent.findIndex((s) => s.id === record.signalId);
  return own > 0 && recent.slice(0, own).some((s) => hasSettledEntry(ctx, s.id));
}

/**
 * An order that changed the position's size (an opening leg, an add, a
 * reduction, another row's resent order): FILLED and the other rows retold,
 * or FAILED with the broker's reason. A leg that carried only the rest of an
 * exit shows the refusal of the signal's own entry, if there was one.
 */
function settleLeg(ctx: TradingContext, job: TradeJob, record: OrderRecord, order: Order): void {
  if (order.state !== 'filled') {
    return conclude(ctx, job.signalId, job.signal, {
      status: 'FAILED',
      reason: `order ${order.status}: ${order.reason ?? 'no reason given'}`,
      decision: 'order failed',
      sheet: true,
    });
  }
  if (record.meaning.refusal) {
    const closed = ctx.journal.ordersForSignal(job.signalId).reduce((sum, o) => sum + (o.filledQty ?? 0), 0);
    return settleFlat(ctx, job, closed, record.meaning.refusal);
  }
  conclude(ctx, job.signalId, job.signal, {
    status: ctx.strategy.filledStatus(ctx, job),
    reason: record.meaning.note,
    decision: `${order.side} ${order.filledQty} @ ${order.filledAvgPrice}`,
    sheet: true,
  });
  // Buying opens or adds to a long, or covers part of a short; selling the mirror image.
  ctx.strategy.retell(ctx, job, (order.side === 'buy') === (record.role === 'entry') ? 'long' : 'short');
}

/**
 * An entry cancelled at its timeout: FILLED with the part that filled (its
 * books and protection follow the fill), else WAITING "limit not filled in
 * 60 s" (a flip's opening leg: after its close).
 */
function settleUnfilledEntry(ctx: TradingContext, job: TradeJob, record: OrderRecord, order: Order): void {
  const waited = `in ${record.meaning.timeout!.seconds} s`;
  if (order.filledQty > 0) {
    const part = `limit filled ${order.filledQty} of ${record.qty} ${waited}`;
    const note = record.meaning.note ? `${part}; ${record.meaning.note}` : part;
    return settleLeg(ctx, job, { ...record, meaning: { ...record.meaning, note } }, { ...order, state: 'filled' });
  }
  const reason = `limit not filled ${waited}`;
  const parent = record.parent ? ctx.journal.getOrder(record.parent) : undefined;
  if (parent) return settleFlat(ctx, job, parent.filledQty ?? 0, { status: 'WAITING', reason, sheetStatus: 'WAITING' });
  conclude(ctx, job.signalId, job.signal, { status: 'WAITING', reason, decision: 'limit not filled', sheet: true });
}

/**
 * A close that ended: FAILED when it did not fill; else WAITING (or the entry's refusal), or its
 * next leg goes. True when a leg was sent on.
 */
async function settleClose(ctx: TradingContext, job: TradeJob, record: OrderRecord, order: Order): Promise<boolean> {
  if (order.state !== 'filled') {
    conclude(ctx, job.signalId, job.signal, {
      status: 'FAILED',
      reason: `close order ${order.status}: ${order.reason ?? 'no reason given'}`,
      decision: 'close failed',
      sheet: true,
    });
    return false;
  }
  if (!record.meaning.next) {
    settleFlat(ctx, job, order.filledQty, record.meaning.refusal);
    return false;
  }
  return sendNextLeg(ctx, job, record, order.filledQty);
}

/**
 * Sends the leg that follows a filled close. An entry (a flip's opening leg)
 * goes only while the signal is younger than FLIP_RESUME_MAX_AGE and the halt
 * and breaker allow; the rest of an exit always goes. True when it was sent.
 */
export async function sendNextLeg(ctx: TradingContext, job: TradeJob, close: OrderRecord, closedQty: number): Promise<boolean> {
  const next = close.meaning.next!;
  const age = ctx.clock.now().getTime() - (ctx.journal.getSignal(job.signalId)?.receivedAt ?? 0);
  if (next.exposure === 'entry' && age > ctx.timings.flipResumeMaxAgeMs) {
    settleFlat(ctx, job, closedQty, failed(`flip not completed: the close filled but the signal is ${Math.round(age / 1000)}s old`));
    return false;
  }
  try {
    await waitUntilFlat(ctx, job.signal.symbol);
    const meaning = {
      role: roleOf(next.exposure, true),
      protect: close.meaning.protect,
      refusal: close.meaning.refusal,
      label: close.meaning.label,
      note: next.note,
      extendedHours: close.meaning.extendedHours,
      limit: next.limit,
    };
    const sent = await sendLeg(ctx, job, 'open', { side: next.side, qty: next.qty, notional: next.notional }, meaning, close.clientOrderId);
    if (sent.kind === 'refused') return (settleFlat(ctx, job, closedQty, sent.verdict), false);
    if (sent.kind === 'rejected') return (settleFlat(ctx, job, closedQty, failed(sent.reason)), false);
    ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'ORDER SUBMITTED', next.note);
    await followHot(ctx, sent.order);
    return true;
  } catch (err) {
    failLate(ctx, job, err);
    return false;
  }
}

const failed = (reason: string): GuardVerdict => ({ status: 'FAILED', reason, sheetStatus: 'FAILED' });

/** Ends a signal whose position was closed and nothing opened: WAITING, or the refusal of its opening leg. */
export function settleFlat(ctx: TradingContext, job: TradeJob, closedQty: number, refusal?: GuardVerdict): void {
  if (refusal) {
    const reason = `closed ${closedQty}; not opened: ${refusal.reason}`;
    conclude(ctx, job.signalId, job.signal, {
      status: refusal.sheetStatus ?? 'FAILED',
      reason,
      decision: 'closed; entry refused',
      sheet: true,
    });
  } else {
    conclude(ctx, job.signalId, job.signal, { status: 'WAITING', decision: `closed ${closedQty}`, sheet: true });
  }
  ctx.strategy.retell(ctx, job, undefined);
}

/** Marks a signal FAILED when work after its answer went wrong. */
export function failLate(ctx: TradingContext, job: TradeJob, err: unknown): void {
  ctx.logger.error('signal.trade_error', { signal: job.signalId, symbol: job.signal.symbol, error: describeError(err) });
  conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: describeError(err), decision: 'error', sheet: true });
}

/** Reads of the position while waiting for a filled close to clear, 150 ms more apart each time (about 28 s in all). */
const FLAT_READS = 20;
const FLAT_BACKOFF = linearBackoff(150);

/** Alpaca may show the position for a moment after the closing fill; opening before it is gone would be rejected. */
async function waitUntilFlat(ctx: TradingContext, symbol: string): Promise<void> {
  const read = () => withRetry(ctx.clock, () => ctx.broker.getPosition(symbol));
  const isFlat = (p: Position | null) => !p || p.qty === 0;
  const last = await pollUntil(ctx.clock, await read(), read, isFlat, { reads: FLAT_READS - 1, pauseMs: FLAT_BACKOFF });
  if (!isFlat(last)) throw new RejectedError(`${symbol} position still open after its close filled`);
}
