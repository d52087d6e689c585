import { findRow, unkeyedRowFor } from '../domain/config-table';
import { describeError } from '../domain/errors';
import { identify } from '../domain/signal-identity';
import type { Signal } from '../domain/types';
import { ConfigUnavailableError } from './config-source';
import type { TradingContext } from './context';
import { executeTrade } from './execute-trade';
import { conclude, describeSignal, type Reply, type WebhookAnswer } from './outcome';

/** An authenticated, parsed alert, as the webhook hands it over. */
export interface IncomingSignal {
  signal: Signal;
  /** The body as received, secret fields removed. */
  raw: string;
  receivedAt: number;
}

/** The answer to give TradingView, and the whole processing (which may go on after the answer). */
export interface SignalRun {
  answer: Promise<WebhookAnswer>;
  done: Promise<void>;
}

/**
 * Handles one alert: journal it (a repeat is answered `duplicate`), read the
 * Config as of its arrival, find its row, and trade under the symbol's lock.
 * The answer comes as soon as the outcome or the first accepted order is
 * known, or at the deadline; the rest (fills, the second leg of a flip, the
 * sheet write) goes on durably in the background.
 */
export function handleSignal(ctx: TradingContext, incoming: IncomingSignal): SignalRun {
  let reply!: Reply;
  const answered = new Promise<WebhookAnswer>((resolve) => (reply = resolve));
  const recorded: { signalId?: string } = {};
  const deadline = new Promise<WebhookAnswer>((resolve) => {
    const timer = setTimeout(
      () => resolve({ httpStatus: 200, body: { status: 'accepted', signal_id: recorded.signalId, note: 'still working; the sheet will show the outcome' } }),
      ctx.timings.answerDeadlineMs,
    );
    void answered.then(() => clearTimeout(timer));
  });
  const done = (async () => {
    try {
      await processSignal(ctx, incoming, reply, recorded);
    } catch (err) {
      const { signalId } = recorded;
      ctx.logger.error('signal.unhandled_error', { signal: signalId, error: describeError(err) });
      // Only an unrecorded signal gets a 5xx: that is the one case where TradingView's resend is wanted.
      reply({ httpStatus: signalId ? 200 : 500, body: { status: signalId ? 'FAILED' : 'error', error: signalId ? describeError(err) : 'signal could not be recorded' } });
    }
  })();
  return { answer: Promise.race([answered, deadline]), done };
}

async function processSignal(ctx: TradingContext, incoming: IncomingSignal, reply: Reply, recorded: { signalId?: string }): Promise<void> {
  const { signal, receivedAt } = incoming;
  const { signalId, duplicate } = ctx.journal.recordSignal({
    identity: identify(signal), windowMs: ctx.timings.dedupeWindowMs, receivedAt, raw: incoming.raw, signal,
  });
  recorded.signalId = signalId;
  if (duplicate) {
    ctx.logger.info('signal.duplicate', { signal: signalId, symbol: signal.symbol, timeframe: signal.timeframe, action: signal.action });
    reply({ httpStatus: 200, body: { status: 'duplicate', signal_id: signalId } });
    return;
  }
  ctx.logger.info('signal.received', { signal: signalId, symbol: signal.symbol, timeframe: signal.timeframe, action: signal.action, price: signal.price });
  const answer = (status: string, extra: Record<string, unknown> = {}) =>
    reply({ httpStatus: 200, body: { status, ...describeSignal(signalId, signal), ...extra } });

  const verdict = await ctx.guards.onArrival?.(signal, receivedAt);
  if (verdict) {
    conclude(ctx, signalId, signal, { status: verdict.sheetStatus ?? verdict.status, reason: verdict.reason, decision: 'refused: ' + verdict.reason, sheet: verdict.sheetStatus !== undefined });
    answer(verdict.status, { reason: verdict.reason });
    return;
  }

  let table;
  try {
    table = (await ctx.config.readFor(receivedAt)).table;
  } catch (err) {
    const reason = err instanceof ConfigUnavailableError ? 'config unavailable' : `config unreadable: ${describeError(err)}`;
    ctx.logger.warn('config.unavailable', { signal: signalId, error: describeError(err) });
    conclude(ctx, signalId, signal, { status: 'FAILED', reason, decision: 'not traded: ' + reason, sheet: true });
    answer('FAILED', { reason });
    return;
  }

  const row = findRow(table, signal.symbol, signal.timeframe);
  const unkeyed = row ? undefined : unkeyedRowFor(table, signal.symbol);
  if (unkeyed?.problem) {
    // The symbol's row has a blank or unknown Time Frame: say so rather than "no Config row"; the row already shows it.
    conclude(ctx, signalId, signal, { status: 'FAILED', reason: unkeyed.problem, decision: 'bad row', sheet: false });
    answer('FAILED', { reason: unkeyed.problem });
    return;
  }
  if (!row) {
    const reason = `no Config row for ${signal.symbol} ${signal.timeframeLabel}`;
    conclude(ctx, signalId, signal, { status: 'ignored', reason, decision: 'ignored', sheet: false });
    answer('ignored', { reason });
    return;
  }
  if (!row.active) {
    conclude(ctx, signalId, signal, { status: 'INACTIVE', decision: 'row inactive', sheet: true });
    reply({ httpStatus: 200, body: { status: 'INACTIVE', ...describeSignal(signalId, signal, row) } });
    return;
  }
  if (row.problem) {
    conclude(ctx, signalId, signal, { status: 'FAILED', reason: row.problem, decision: 'bad row', sheet: true });
    reply({ httpStatus: 200, body: { status: 'FAILED', reason: row.problem, ...describeSignal(signalId, signal, row) } });
    return;
  }
  await ctx.locks.run(signal.symbol, () => executeTrade(ctx, { signalId, signal, row }, reply));
}
