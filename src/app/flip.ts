import { RejectedError } from '../domain/errors';
import type { OpenSize } from '../domain/trade-plan';
import type { Order, Position } from '../domain/types';
import type { Exposure, GuardVerdict, TradingContext } from './context';
import { isSuperseded } from './holdings';
import { conclude } from './outcome';
import { awaitFinal } from './place-order';
import { linearBackoff, pollUntil, withRetry } from './retry';
import { sendLeg } from './send-leg';
import { failLate, followEntry, settleFlat } from './settle';
import type { TradeJob } from './trade-job';

/** What a close leg is followed by, journaled before the close is sent so a restart knows. */
export type AfterClose =
  | { kind: 'nothing' }
  /**
   * `exposure` is absent (an entry) except for the rest of a per-row exit
   * across zero; `refusal` is then why the row's own entry was not made.
   */
  | { kind: 'open'; size: OpenSize & { ok: true }; exposure?: Exposure; refusal?: GuardVerdict }
  | { kind: 'refused'; verdict: GuardVerdict };

/** Reads of the position while waiting for a filled close to clear, 150 ms more apart each time (about 28 s in all). */
const FLAT_READS = 20;
const FLAT_BACKOFF = linearBackoff(150);

const key = (signalId: string) => `after-close:${signalId}`;

/** Journals what follows the close of `signalId`. */
export function recordAfterClose(ctx: TradingContext, signalId: string, after: AfterClose): void {
  ctx.journal.set(key(signalId), JSON.stringify(after));
}

/** What follows the close of `signalId`, as journaled; undefined for a signal journaled before this was recorded. */
export function readAfterClose(ctx: TradingContext, signalId: string): AfterClose | undefined {
  const saved = ctx.journal.get(key(signalId));
  return saved ? (JSON.parse(saved) as AfterClose) : undefined;
}

/**
 * Follows a close. Within the flip timeout it settles under the lock the
 * caller holds; a slower close is followed in the background and settled
 * under the symbol's lock when it ends.
 */
export async function followClose(ctx: TradingContext, job: TradeJob, order: Order): Promise<void> {
  const closed = await awaitFinal(ctx, order, ctx.timings.flipFillTimeoutMs);
  if (closed.state !== 'open') return settleClose(ctx, job, closed);
  ctx.logger.warn('flip.close_slow', { signal: job.signalId, symbol: job.signal.symbol, order_id: closed.id });
  ctx.follower.follow(closed, (final) => ctx.locks.run(job.signal.symbol, () => settleClose(ctx, job, final)));
}

/** A close that ended: FAILED when it did not fill; else WAITING, the refusal of the opening leg, or the flip goes on. */
export async function settleClose(ctx: TradingContext, job: TradeJob, order: Order): Promise<void> {
  if (isSuperseded(ctx, order.clientOrderId)) return;
  if (order.state !== 'filled') {
    return conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: `close order ${order.status}: ${order.reason ?? 'no reason given'}`, decision: 'close failed', sheet: true });
  }
  const after = readAfterClose(ctx, job.signalId) ?? (job.signal.action === 'close' ? { kind: 'nothing' } : undefined);
  if (!after) return settleFlat(ctx, job, order.filledQty, { status: 'FAILED', reason: 'the opening size was not recorded', sheetStatus: 'FAILED' });
  if (after.kind === 'open') return completeFlip(ctx, job, order.filledQty, after.size, after.exposure, after.refusal);
  return settleFlat(ctx, job, order.filledQty, after.kind === 'refused' ? after.verdict : undefined);
}

/**
 * Opens the second leg of a flip whose close has filled, while the signal is
 * still young enough. The leg re-checks the halt and the breaker just before
 * it is sent: after a halt or POST /flatten it is never sent.
 */
export async function completeFlip(ctx: TradingContext, job: TradeJob, closedQty: number, size: OpenSize & { ok: true }, exposure: Exposure = 'entry', refusal?: GuardVerdict): Promise<void> {
  const age = ctx.clock.now().getTime() - (ctx.journal.getSignal(job.signalId)?.receivedAt ?? 0);
  if (age > ctx.timings.flipResumeMaxAgeMs) {
    const reason = `flip not completed: the close filled but the signal is ${Math.round(age / 1000)}s old`;
    return settleFlat(ctx, job, closedQty, { status: 'FAILED', reason, sheetStatus: 'FAILED' });
  }
  try {
    await waitUntilFlat(ctx, job.signal.symbol);
    const sent = await sendLeg(ctx, job, 'open', exposure, { side: size.side, qty: size.qty, notional: size.notional });
    if (sent.kind === 'refused') return settleFlat(ctx, job, closedQty, sent.verdict);
    if (sent.kind === 'rejected') return settleFlat(ctx, job, closedQty, { status: 'FAILED', reason: sent.reason, sheetStatus: 'FAILED' });
    ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'ORDER SUBMITTED');
    await followEntry(ctx, job, sent.order, size.side === 'buy' ? 'long' : 'short', refusal);
  } catch (err) {
    failLate(ctx, job, err);
  }
}

/** Alpaca may show the position for a moment after the closing fill; opening before it is gone would be rejected. */
async function waitUntilFlat(ctx: TradingContext, symbol: string): Promise<void> {
  const read = () => withRetry(ctx.clock, () => ctx.broker.getPosition(symbol));
  const isFlat = (p: Position | null) => !p || p.qty === 0;
  const last = await pollUntil(ctx.clock, await read(), read, isFlat, { reads: FLAT_READS - 1, pauseMs: FLAT_BACKOFF });
  if (!isFlat(last)) throw new RejectedError(`${symbol} position still open after its close filled`);
}
