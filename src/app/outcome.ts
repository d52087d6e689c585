import type { ConfigRow } from '../domain/config-table';
import { asStatus } from '../domain/status';
import type { Signal } from '../domain/types';
import type { TradingContext } from './context';

/** The webhook's answer: HTTP status and JSON body. */
export interface WebhookAnswer {
  httpStatus: number;
  body: Record<string, unknown>;
}

/** Delivers the webhook answer; only the first call counts, later ones are ignored. */
export type Reply = (answer: WebhookAnswer) => void;

/** A Reply for work that runs with nobody waiting (background completion, recovery). */
export const nobodyWaiting: Reply = () => undefined;

/** The body every signal answer shares: what was asked for and how big. */
export function describeSignal(signalId: string, signal: Signal, row?: ConfigRow): Record<string, unknown> {
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
  outcome: { status: string; reason?: string; decision: string; sheet: boolean },
): void {
  ctx.journal.decide(signalId, outcome.decision, outcome.status, outcome.reason);
  ctx.outbox.noteSignal(signalId); // its Signals row shows the outcome, orders and fill
  if (outcome.sheet) {
    const status = asStatus(outcome.status);
    if (status) ctx.outbox.post(signal.symbol, signal.timeframe, status, outcome.reason);
    else ctx.logger.error('status.not_in_vocabulary', { signal: signalId, status: outcome.status });
  }
  const fields = { signal: signalId, symbol: signal.symbol, timeframe: signal.timeframe, action: signal.action, status: outcome.status, decision: outcome.decision, reason: outcome.reason };
  if (outcome.status === 'FAILED') ctx.logger.warn('signal.decided', fields);
  else ctx.logger.info('signal.decided', fields);
}
