import { findRow, unkeyedRowFor } from '../../domain/trading/config-table';
import { describeError } from '../../domain/errors';
import { identify } from '../../domain/signal/signal-identity';
import type { Signal } from '../../domain/types';
import { type ConfigSnapshot, ConfigUnavailableError } from '../sheet/config-source';
import type { TradingContext } from '../context';
import { startTrade } from './execute-trade';
import { readHoldings } from '../positions/holdings';
import { aboutSignal, conclude, concludeRefusal, refusal, type SignalOutcome, type TradeStart } from '../outcome';
import type { TradeJob } from '../trade-job';
import { orAfter } from '../../shared/clock';

/** An authenticated, parsed alert, as the webhook hands it over. */
export interface IncomingSignal {
  signal: Signal;
  /** The body as received, secret fields removed. */
  raw: string;
  receivedAt: number;
}

/** The outcome to answer with (by the deadline at the latest), and the whole processing, which may go on after it. */
export interface SignalRun {
  outcome: Promise<SignalOutcome>;
  done: Promise<void>;
}

/**
 * Handles one alert: journal it (a repeat is a duplicate), check it on
 * arrival, read the Config as of its arrival, find its row, and trade under
 * the symbol's lock. The outcome comes as soon as it or the first accepted
 * order is known, or at the deadline; the rest (fills, a flip's second leg,
 * the sheet write) goes on durably in the background.
 */
export function handleSignal(ctx: TradingContext, incoming: IncomingSignal): SignalRun {
  const { signal, receivedAt } = incoming;
  let recorded: { signalId: string; duplicate: boolean };
  try {
    recorded = ctx.journal.recordSignal({
      identity: identify(signal),
      windowMs: ctx.timings.dedupeWindowMs,
      receivedAt,
      raw: incoming.raw,
      signal,
    });
  } catch (err) {
    ctx.logger.error('signal.not_recorded', { symbol: signal.symbol, error: describeError(err) });
    return { outcome: Promise.resolve({ kind: 'not_recorded', error: 'signal could not be recorded' }), done: Promise.resolve() };
  }
  const { signalId, duplicate } = recorded;
  if (duplicate) {
    ctx.logger.info('signal.duplicate', { signal: signalId, symbol: signal.symbol, timeframe: signal.timeframe, action: signal.action });
    return { outcome: Promise.resolve({ kind: 'duplicate', signalId }), done: Promise.resolve() };
  }
  ctx.logger.info('signal.received', {
    signal: signalId,
    symbol: signal.symbol,
    timeframe: signal.timeframe,
    action: signal.action,
    price: signal.price,
    strategy: signal.strategy,
  });
  const started = processSignal(ctx, signalId, incoming).catch((err): TradeStart => {
    ctx.logger.error('signal.unhandled_error', { signal: signalId, error: describeError(err) });
    conclude(ctx, signalId, signal, { status: 'FAILED', reason: describeError(err), decision: 'error', sheet: true });
    return { outcome: { kind: 'settled', about: aboutSignal(signalId, signal), status: 'FAILED', reason: describeError(err) } };
  });
  const done = started
    .then((s) => s.rest)
    .catch((err) => ctx.logger.error('signal.unhandled_error', { signal: signalId, error: describeError(err) }));
  return {
    outcome: byDeadline(
      ctx,
      signalId,
      started.then((s) => s.outcome),
    ),
    done,
  };
}

/** The outcome, or `still_working` at ANSWER_DEADLINE_MS, whichever comes first. */
function byDeadline(ctx: TradingContext, signalId: string, outcome: Promise<SignalOutcome>): Promise<SignalOutcome> {
  return orAfter(outcome, ctx.timings.answerDeadlineMs, (): SignalOutcome => ({ kind: 'still_working', signalId }));
}

async function processSignal(ctx: TradingContext, signalId: string, incoming: IncomingSignal): Promise<TradeStart> {
  const { signal, receivedAt } = incoming;
  const verdict = await ctx.guards.onArrival?.(signal, receivedAt);
  if (verdict) {
    concludeRefusal(ctx, signalId, signal, verdict);
    return { outcome: refusal(aboutSignal(signalId, signal), verdict) };
  }
  // The Config read starts now, and so does the symbol's queue: once the symbol is free, what the
  // account holds is read beside the Config (the two reads overlap). A row that turns out not to
  // trade is answered without waiting for the symbol, and its queued turn ends at once.
  const decided = jobFor(ctx, signalId, incoming, ctx.config.readFor(receivedAt));
  const traded = tradeUnderLock(ctx, signal.symbol, async () => {
    await markPrice(ctx, signal);
    const early = await Promise.race([decided, Promise.resolve(undefined)]);
    if (early && !('job' in early)) return early;
    const holdings = readHoldings(ctx, signal);
    holdings.catch(() => undefined); // unused when the row does not trade; else awaited by the planner
    const job = await decided;
    return 'job' in job ? startTrade(ctx, job.job, holdings) : job;
  });
  const decision = await decided;
  if (!('job' in decision)) {
    traded.catch(() => undefined); // its queued turn only ends; the outcome is this one
    return decision;
  }
  return traded;
}

/** The trade job for the signal's Config row; or, for a row that does not trade (none, inactive, unusable), its outcome. */
async function jobFor(
  ctx: TradingContext,
  signalId: string,
  incoming: IncomingSignal,
  configRead: Promise<ConfigSnapshot>,
): Promise<{ job: TradeJob } | TradeStart> {
  const { signal } = incoming;
  const about = aboutSignal(signalId, signal);
  try {
    const { table } = await configRead;
    const row = findRow(table, signal.symbol, signal.timeframe);
    const unkeyed = row ? undefined : unkeyedRowFor(table, signal.symbol);
    if (unkeyed?.problem) {
      // The symbol's row has a blank or unknown Time Frame: say so rather than "no Config row"; the row already shows it.
      conclude(ctx, signalId, signal, { status: 'FAILED', reason: unkeyed.problem, decision: 'bad row', sheet: false });
      return { outcome: { kind: 'settled', about, status: 'FAILED', reason: unkeyed.problem } };
    }
    if (!row) {
      const reason = `no Config row for ${signal.symbol} ${signal.timeframeLabel}`;
      conclude(ctx, signalId, signal, { status: 'ignored', reason, decision: 'ignored', sheet: false });
      return { outcome: { kind: 'ignored', about, reason } };
    }
    if (!row.active) {
      conclude(ctx, signalId, signal, { status: 'INACTIVE', decision: 'row inactive', sheet: true });
      return { outcome: { kind: 'settled', about: aboutSignal(signalId, signal, row), status: 'INACTIVE' } };
    }
    // A row with a problem (a bad size or direction) still exits; its entries are FAILED with the problem.
    return { job: { signalId, signal, row, late: ctx.guards.stale?.(signal, incoming.receivedAt) } };
  } catch (err) {
    // Exits need no row, so they still trade; anything that opens is FAILED with this reason.
    const reason = err instanceof ConfigUnavailableError ? 'config unavailable' : `config unreadable: ${describeError(err)}`;
    ctx.logger.warn('config.unavailable', { signal: signalId, error: describeError(err) });
    return { job: { signalId, signal, rowProblem: reason, late: ctx.guards.stale?.(signal, incoming.receivedAt) } };
  }
}

/**
 * With a local market (the paper broker's) the alerts' prices are the
 * market: every fresh alert's price, with a row or not, reaches it (the
 * latest price, and the resting exits) in the symbol's turn, so no trade is
 * planned across it. Alpaca has its own market, so there is none to mark.
 */
async function markPrice(ctx: TradingContext, signal: Signal): Promise<void> {
  if (!ctx.market || signal.price === undefined) return;
  await ctx.market
    .markPrice(signal.symbol, signal.price)
    .catch((err) => ctx.logger.warn('paper.mark_failed', { symbol: signal.symbol, error: describeError(err) }));
}

/** Runs `trade` in the symbol's queue, holding it until the trade's follow-up work ends; resolves with the first outcome. */
async function tradeUnderLock(ctx: TradingContext, symbol: string, trade: () => Promise<TradeStart>): Promise<TradeStart> {
  let first!: (start: TradeStart) => void;
  const started = new Promise<TradeStart>((resolve) => (first = resolve));
  const run = ctx.locks.run(symbol, async () => {
    const start = await trade();
    first(start);
    await start.rest;
  });
  const start = await Promise.race([started, run.then(() => started)]);
  return { outcome: start.outcome, rest: run };
}
