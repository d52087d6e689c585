import type { ConfigRow } from '../domain/trading/config-table';
import { asStatus, type Status } from '../domain/sheet/status';
import type { Signal } from '../domain/types';
import type { TradingContext } from './context';

/** What every answer about a signal repeats: which signal, what it asked for, and the row's size. */
export interface SignalSummary {
  signal_id: string;
  action: Signal['action'];
  symbol: string;
  timeframe: string;
  amount?: number;
}

/** One order leg as the answer tells it: what was sent (or follows once the leg before it fills). */
export interface AnsweredLeg {
  side: 'buy' | 'sell';
  qty?: number;
  notional?: number;
  /** The broker's order id; absent for a leg still to follow. */
  order_id?: string;
  /** Set for a leg sent only once the one before it fills (a flip's opening leg while the close is queued). */
  after?: 'the close fills';
}

/**
 * How a signal ended, or how far it got by the time an answer was due. The
 * webhook route turns it into HTTP; no use case knows about HTTP.
 */
export type SignalOutcome =
  /** Seen before: nothing traded again. */
  | { kind: 'duplicate'; signalId: string }
  /** The journal could not record it: the one case where a resend is wanted. */
  | { kind: 'not_recorded'; error: string }
  /** Still working when the answer was due; the sheet will show the end. */
  | { kind: 'still_working'; signalId?: string }
  /** No Config row for (symbol, timeframe). */
  | { kind: 'ignored'; about: SignalSummary; reason: string }
  /** Nothing (more) to send: a hold, an inactive or bad row, a broker refusal. */
  | { kind: 'settled'; about: SignalSummary; status: Status; reason?: string }
  /**
   * A brake refused it (`halted`, `stale`, an entry filter's `WAITING`, or a FAILED check). `orderIds` lists
   * what was still sent: the close of a reversal whose opening leg was refused.
   */
  | {
      kind: 'refused';
      about: SignalSummary;
      answer: 'halted' | 'stale' | 'WAITING' | 'FAILED';
      reason: string;
      orderIds?: string[];
      legs?: AnsweredLeg[];
    }
  /** The broker accepted the first order; or (`queued`, per-row) the signal waits behind the bot's own queued order. */
  | { kind: 'submitted'; about: SignalSummary; orderIds: string[]; qty?: number; notional?: number; legs?: AnsweredLeg[]; queued?: string };

/** A trade's first outcome (for a flip, once its opening leg went or shortly after), and the work that goes on after it. */
export interface TradeStart {
  outcome: SignalOutcome | Promise<SignalOutcome>;
  rest?: Promise<void>;
}

/** A brake's refusal as an outcome; `orderIds` lists a close that still went. */
export function refusal(about: SignalSummary, verdict: { status: string; reason: string }, orderIds?: string[]): SignalOutcome {
  const answer = verdict.status === 'halted' || verdict.status === 'stale' || verdict.status === 'WAITING' ? verdict.status : 'FAILED';
  return orderIds
    ? { kind: 'refused', about, answer, reason: `${verdict.reason}; closing the position`, orderIds }
    : { kind: 'refused', about, answer, reason: verdict.reason };
}

/** The summary every answer about this signal carries. */
export function aboutSignal(signalId: string, signal: Signal, row?: ConfigRow): SignalSummary {
  return {
    signal_id: signalId,
    action: signal.action,
    symbol: signal.symbol,
    timeframe: row?.timeframeLabel ?? signal.timeframeLabel,
    ...(row ? { amount: row.positionSize } : {}),
  };
}

/**
 * Ends a signal: journals the decision, queues the row's status (when there
 * is a row to show it in) and its Signals row, and logs one line with the outcome.
 */
export function conclude(
  ctx: TradingContext,
  signalId: string,
  signal: Signal,
  given: { status: string; reason?: string; decision: string; sheet: boolean },
): void {
  const outcome = { ...given, reason: withLateness(ctx, signalId, signal, given) };
  ctx.journal.decide(signalId, outcome.decision, outcome.status, outcome.reason);
  ctx.outbox.noteSignal(signalId); // its Signals row shows the outcome, orders and fill
  if (outcome.sheet) {
    const status = asStatus(outcome.status);
    if (status) ctx.outbox.post(signal.symbol, signal.timeframe, status, outcome.reason);
    else ctx.logger.error('status.not_in_vocabulary', { signal: signalId, status: outcome.status });
  }
  const fields = {
    signal: signalId,
    symbol: signal.symbol,
    timeframe: signal.timeframe,
    action: signal.action,
    status: outcome.status,
    decision: outcome.decision,
    reason: outcome.reason,
  };
  if (outcome.status === 'FAILED') ctx.logger.warn('signal.decided', fields);
  else ctx.logger.info('signal.decided', fields);
}

/** A stale signal's exit still trades; its row says by how much it came late (a refusal already says why). */
function withLateness(
  ctx: TradingContext,
  signalId: string,
  signal: Signal,
  outcome: { status: string; reason?: string },
): string | undefined {
  if (!signal.firedAt || outcome.reason?.includes('stale') || outcome.reason?.includes('late by')) return outcome.reason;
  const received = ctx.journal.getSignal(signalId)?.receivedAt;
  if (received === undefined || !ctx.guards.stale?.(signal, received)) return outcome.reason;
  const late = `late by ${Math.round((received - Date.parse(signal.firedAt)) / 1000)} s`;
  return outcome.reason ? `${outcome.reason}; ${late}` : late;
}

/** Ends a signal a brake or check refused: journaled, and the row shows the verdict's status when it has one. */
export function concludeRefusal(
  ctx: TradingContext,
  signalId: string,
  signal: Signal,
  verdict: { status: string; reason: string; sheetStatus?: string },
): void {
  conclude(ctx, signalId, signal, {
    status: verdict.sheetStatus ?? verdict.status,
    reason: verdict.reason,
    decision: 'refused: ' + verdict.reason,
    sheet: verdict.sheetStatus !== undefined,
  });
}
