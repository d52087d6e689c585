import { type ConfigRow, findRow } from '../domain/config-table';
import { describeError, RejectedError } from '../domain/errors';
import { type OpenSize, planIntent, sizeOpenLeg } from '../domain/trade-plan';
import type { Order, Signal } from '../domain/types';
import type { TradingContext } from './context';
import { conclude, describeSignal, type Reply } from './outcome';
import { awaitFinal, placeOrder, withRetry } from './place-order';

/** A signal that passed the Config checks, ready to trade. */
export interface TradeJob {
  signalId: string;
  signal: Signal;
  row: ConfigRow;
}

/**
 * Trades one signal from the live position. Runs inside the symbol's lock,
 * which it holds through a whole flip: close, wait for the fill and a flat
 * position, then open. Answers the webhook as soon as the first order is accepted.
 */
export async function executeTrade(ctx: TradingContext, job: TradeJob, reply: Reply): Promise<void> {
  const { signal, row } = job;
  const answer = (status: string, extra: Record<string, unknown> = {}) =>
    reply({ httpStatus: 200, body: { status, ...describeSignal(job.signalId, signal, row), ...extra } });
  const fail = (reason: string, decision = 'failed') => {
    conclude(ctx, job.signalId, signal, { status: 'FAILED', reason, decision, sheet: true });
    answer('FAILED', { reason });
  };
  try {
    const position = await withRetry(ctx.clock, () => ctx.broker.getPosition(signal.symbol));
    const intent = planIntent(signal.action, position);
    if (intent.kind === 'hold') {
      conclude(ctx, job.signalId, signal, { status: intent.status, reason: intent.reason, decision: 'no order: ' + intent.reason, sheet: true });
      return answer(intent.status, { reason: intent.reason });
    }
    const verdict = await ctx.guards.beforeOrders?.(signal, row, intent);
    if (verdict) {
      conclude(ctx, job.signalId, signal, { status: verdict.sheetStatus ?? verdict.status, reason: verdict.reason, decision: 'refused: ' + verdict.reason, sheet: verdict.sheetStatus !== undefined });
      return answer(verdict.status, { reason: verdict.reason });
    }
    // Sized before anything is sent, so a flip that can't open never leaves a half-done trade.
    const open = intent.open ? await sizeOpen(ctx, intent.open, row.positionSize, signal) : undefined;
    if (open && !open.ok) return fail(open.reason, 'not sent: ' + open.reason);

    const orderIds: string[] = [];
    if (intent.close) {
      const closeOrder = await placeOrder(ctx, job.signalId, 'close', {
        symbol: signal.symbol, side: intent.close.side, qty: intent.close.qty,
        clientOrderId: `${job.signalId}-close`, referencePrice: signal.price,
      });
      orderIds.push(closeOrder.id);
      ctx.outbox.post(signal.symbol, signal.timeframe, 'ORDER SUBMITTED');
      answer('ORDER SUBMITTED', { order_ids: orderIds });
      const closed = await awaitFinal(ctx, closeOrder, ctx.timings.flipFillTimeoutMs);
      if (closed.state === 'failed') return fail(`close order ${closed.status}: ${closed.reason ?? 'no reason given'}`);
      if (closed.state === 'open') {
        ctx.logger.warn('flip.close_slow', { signal: job.signalId, symbol: signal.symbol, order_id: closed.id });
        ctx.follower.follow(closed, (final) => settleClose(ctx, job, final, open));
        return;
      }
      if (!open) {
        conclude(ctx, job.signalId, signal, { status: 'WAITING', decision: `closed ${intent.close.qty}`, sheet: true });
        return;
      }
      await waitUntilFlat(ctx, signal.symbol);
    }
    await openPosition(ctx, job, open!, reply, orderIds);
  } catch (err) {
    if (err instanceof RejectedError) return fail(err.message, 'rejected');
    ctx.logger.error('signal.trade_error', { signal: job.signalId, symbol: signal.symbol, error: describeError(err) });
    return fail(`broker unavailable: ${describeError(err)}`, 'error');
  }
}

/** Sends the opening order, answers, and follows it to FILLED or FAILED. */
export async function openPosition(ctx: TradingContext, job: TradeJob, open: OpenSize & { ok: true }, reply: Reply, orderIds: string[] = []): Promise<void> {
  const order = await placeOrder(ctx, job.signalId, 'open', {
    symbol: job.signal.symbol, side: open.side, qty: open.qty, notional: open.notional,
    clientOrderId: `${job.signalId}-open`, referencePrice: job.signal.price,
  });
  ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'ORDER SUBMITTED');
  reply({
    httpStatus: 200,
    body: { status: 'ORDER SUBMITTED', ...describeSignal(job.signalId, job.signal, job.row), order_ids: [...orderIds, order.id], qty: open.qty, notional: open.notional },
  });
  // Holding the lock until the fill keeps the next signal for this symbol from planning on a stale position.
  const final = await awaitFinal(ctx, order, ctx.timings.flipFillTimeoutMs);
  if (final.state === 'open') ctx.follower.follow(final, (f) => settleOpen(ctx, job, f));
  else settleOpen(ctx, job, final);
}

/** Writes the opening order's outcome. */
export function settleOpen(ctx: TradingContext, job: TradeJob, order: Order): void {
  if (order.state === 'filled') {
    conclude(ctx, job.signalId, job.signal, { status: 'FILLED', decision: `${order.side} ${order.filledQty} @ ${order.filledAvgPrice}`, sheet: true });
  } else {
    conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: `order ${order.status}: ${order.reason ?? 'no reason given'}`, decision: 'order failed', sheet: true });
  }
}

/** A close that filled late: a CLOSE is done; a flip goes on only while the signal is young. */
export async function settleClose(ctx: TradingContext, job: TradeJob, order: Order, open?: OpenSize): Promise<void> {
  if (order.state !== 'filled') {
    return conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: `close order ${order.status}: ${order.reason ?? 'no reason given'}`, decision: 'close failed', sheet: true });
  }
  if (job.signal.action === 'close') {
    return conclude(ctx, job.signalId, job.signal, { status: 'WAITING', decision: `closed ${order.filledQty}`, sheet: true });
  }
  await ctx.locks.run(job.signal.symbol, () => completeFlip(ctx, job, open));
}

/** Opens the second leg of a flip whose close has filled, if the signal is still young enough. */
export async function completeFlip(ctx: TradingContext, job: TradeJob, open?: OpenSize): Promise<void> {
  const age = ctx.clock.now().getTime() - (ctx.journal.getSignal(job.signalId)?.receivedAt ?? 0);
  if (age > ctx.timings.flipResumeMaxAgeMs) {
    const reason = `flip not completed: the close filled but the signal is ${Math.round(age / 1000)}s old`;
    return conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason, decision: 'flip abandoned', sheet: true });
  }
  try {
    await waitUntilFlat(ctx, job.signal.symbol);
    let current = job;
    if (!open) {
      // Sizing now (a late fill or a restart): the row as it is now decides, so a row switched off meanwhile does not trade.
      const { table } = await ctx.config.readFor(ctx.clock.now().getTime());
      const row = findRow(table, job.signal.symbol, job.signal.timeframe);
      const why = !row ? 'its Config row is gone' : !row.active ? 'its Config row is inactive' : row.problem;
      if (!row || why) return conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: `flip not completed: ${why}`, decision: 'flip abandoned', sheet: true });
      current = { ...job, row };
    }
    const size = open ?? (await sizeOpen(ctx, job.signal.action as 'long' | 'short', current.row.positionSize, job.signal));
    if (!size.ok) return conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: size.reason, decision: 'not sent', sheet: true });
    await openPosition(ctx, current, size, () => undefined);
  } catch (err) {
    conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason: describeError(err), decision: 'flip failed', sheet: true });
  }
}

async function sizeOpen(ctx: TradingContext, direction: 'long' | 'short', dollars: number, signal: Signal): Promise<OpenSize> {
  const asset = await withRetry(ctx.clock, () => ctx.broker.getAsset(signal.symbol));
  const needsPrice = direction === 'short' || !asset.fractionable;
  return sizeOpenLeg(direction, dollars, asset, needsPrice ? await latestPrice(ctx, signal) : signal.price);
}

/** Alpaca's latest trade; the alert's own price when market data can't answer, or in local mode. */
async function latestPrice(ctx: TradingContext, signal: Signal): Promise<number | undefined> {
  // The local paper broker has no market data: the alert's price is the market it fills at.
  if (ctx.broker.mode === 'local' && signal.price !== undefined) return signal.price;
  try {
    return await withRetry(ctx.clock, () => ctx.broker.getLatestPrice(signal.symbol));
  } catch (err) {
    if (signal.price === undefined) throw err;
    ctx.logger.warn('price.latest_unavailable', { symbol: signal.symbol, using: 'alert price', error: describeError(err) });
    return signal.price;
  }
}

/** Alpaca may show the position for a moment after the closing fill; opening before it is gone would be rejected. */
async function waitUntilFlat(ctx: TradingContext, symbol: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const position = await withRetry(ctx.clock, () => ctx.broker.getPosition(symbol));
    if (!position || position.qty === 0) return;
    await ctx.clock.sleep(150 * (i + 1));
  }
  throw new RejectedError(`${symbol} position still open after its close filled`);
}
