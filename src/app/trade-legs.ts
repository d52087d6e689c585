import type { Status } from '../domain/status';
import type { Leg, OpenSize } from '../domain/trade-plan';
import type { GuardVerdict, TradingContext } from './context';
import type { EntryCheck } from './entry';
import { followClose, recordAfterClose } from './flip';
import { aboutSignal, conclude, concludeRefusal, refusal, type SignalOutcome, type TradeStart } from './outcome';
import { sendLeg } from './send-leg';
import { failLate, followEntry } from './settle';
import type { TradeJob } from './trade-job';

/*
 * The first leg of a planned trade, sent and answered: a close (then, in the
 * background, what follows it), an open from flat, or a scale; or the
 * signal's end with nothing (more) to send. Shared by the shared-position and
 * per-row trades.
 */

/** Closes the position; what follows the close (an opening leg, or its refusal) is journaled first. */
export async function startClose(ctx: TradingContext, job: TradeJob, close: Leg, entry: EntryCheck | undefined): Promise<TradeStart> {
  recordAfterClose(ctx, job.signalId, !entry ? { kind: 'nothing' } : entry.ok ? { kind: 'open', size: entry.open!, exposure: entry.exposure, refusal: entry.refusal } : { kind: 'refused', verdict: entry.verdict });
  const sent = await sendLeg(ctx, job, 'close', 'exit', close);
  if (sent.kind === 'refused') return refused(ctx, job, sent.verdict);
  if (sent.kind === 'rejected') return settled(ctx, job, 'FAILED', sent.reason, 'rejected');
  ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'ORDER SUBMITTED');
  const about = aboutSignal(job.signalId, job.signal, job.row);
  const orderIds = [sent.order.id];
  const outcome: SignalOutcome = entry && !entry.ok ? refusal(about, entry.verdict, orderIds) : { kind: 'submitted', about, orderIds };
  return { outcome, rest: followClose(ctx, job, sent.order).catch((err) => failLate(ctx, job, err)) };
}

/** Opens the row's size from flat. */
export async function startOpen(ctx: TradingContext, job: TradeJob, size: OpenSize & { ok: true }): Promise<TradeStart> {
  const sent = await sendLeg(ctx, job, 'open', 'entry', { side: size.side, qty: size.qty, notional: size.notional });
  if (sent.kind === 'refused') return refused(ctx, job, sent.verdict);
  if (sent.kind === 'rejected') return settled(ctx, job, 'FAILED', sent.reason, 'rejected');
  ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'ORDER SUBMITTED');
  const outcome: SignalOutcome = { kind: 'submitted', about: aboutSignal(job.signalId, job.signal, job.row), orderIds: [sent.order.id], qty: size.qty, notional: size.notional };
  return { outcome, rest: followEntry(ctx, job, sent.order, size.side === 'buy' ? 'long' : 'short').catch((err) => failLate(ctx, job, err)) };
}

/** Changes the size of the position held: an add is an entry, a reduction an exit. */
export async function startScale(ctx: TradingContext, job: TradeJob, scale: Leg & { adds: boolean }): Promise<TradeStart> {
  const sent = await sendLeg(ctx, job, 'scale', scale.adds ? 'entry' : 'exit', { side: scale.side, qty: scale.qty });
  if (sent.kind === 'refused') return refused(ctx, job, sent.verdict);
  if (sent.kind === 'rejected') return settled(ctx, job, 'FAILED', sent.reason, 'rejected');
  ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'ORDER SUBMITTED');
  // Buying adds to a long or covers part of a short; selling the reverse.
  const held = (scale.side === 'buy') === scale.adds ? 'long' : 'short';
  const outcome: SignalOutcome = { kind: 'submitted', about: aboutSignal(job.signalId, job.signal, job.row), orderIds: [sent.order.id], qty: scale.qty };
  return { outcome, rest: followEntry(ctx, job, sent.order, held).catch((err) => failLate(ctx, job, err)) };
}

/** Ends the signal with no order (more) to send. */
export function settled(ctx: TradingContext, job: TradeJob, status: Status, reason: string | undefined, decision: string): TradeStart {
  conclude(ctx, job.signalId, job.signal, { status, reason, decision, sheet: true });
  return { outcome: { kind: 'settled', about: aboutSignal(job.signalId, job.signal, job.row), status, reason } };
}

/** Ends the signal refused by a brake or a check; the row shows the verdict's status. */
export function refused(ctx: TradingContext, job: TradeJob, verdict: GuardVerdict): TradeStart {
  concludeRefusal(ctx, job.signalId, job.signal, verdict);
  return { outcome: refusal(aboutSignal(job.signalId, job.signal, job.row), verdict) };
}
