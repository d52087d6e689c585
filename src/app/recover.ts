import { PROTECTIVE_LEGS } from '../domain/client-order-id';
import { findRow } from '../domain/config-table';
import type { ProtectiveLeg } from '../domain/protection';
import { describeError } from '../domain/errors';
import { targetOf } from '../domain/trade-plan';
import type { Order } from '../domain/types';
import type { OrderRecord, SignalRecord } from '../ports';
import type { TradingContext } from './context';
import { startTrade } from './execute-trade';
import { settleClose } from './flip';
import { conclude } from './outcome';
import { followProtective } from './protection';
import { settleEntry } from './settle';
import type { TradeJob } from './trade-job';

/** The reason recorded on an order the broker never received; such an order was never sent, it did not fail. */
export const NEVER_SENT = 'never reached the broker';

/**
 * Picks up what the journal shows unfinished after a restart: orders with no
 * final state are looked up at the broker and followed; a flip whose close
 * filled but whose open was never sent is completed while the signal is
 * young, else marked FAILED; a signal stopped before any order reached the
 * broker is re-run while young, else marked FAILED; queued statuses are
 * flushed. Orders are settled from the journal's signal, never from a fresh
 * read of its row, so a filled order is never written FAILED.
 */
export async function recoverUnfinished(ctx: TradingContext): Promise<void> {
  const orders = ctx.journal.unfinishedOrders();
  const signals = ctx.journal.workingSignals();
  if (orders.length || signals.length) ctx.logger.info('recovery.start', { orders: orders.length, signals: signals.length });
  const followed = new Set<string>();
  for (const record of orders) {
    if (await resumeOrder(ctx, record)) followed.add(record.signalId);
  }
  for (const record of signals) {
    if (followed.has(record.id)) continue;
    await ctx.locks.run(record.signal.symbol, () => resumeSignal(ctx, record)).catch((err) =>
      ctx.logger.error('recovery.signal_failed', { signal: record.id, error: describeError(err) }),
    );
  }
  ctx.outbox.kick();
}

// Longer than placeOrder can keep one submission pending (3 attempts of up to the SDK's 30 s timeout, plus backoff).
const STRANDED_AFTER_MS = 5 * 60_000;

/**
 * Orders left `pending` while the server runs (their outcome stayed unknown
 * after every retry, so the signal was marked FAILED): looked up again by
 * client order id, and followed when the broker has them, so the row ends up
 * telling the truth. Returns how many were looked up.
 */
export async function resumeStrandedOrders(ctx: TradingContext, olderThanMs = STRANDED_AFTER_MS): Promise<number> {
  const now = ctx.clock.now().getTime();
  const stranded = ctx.journal
    .unfinishedOrders()
    .filter((o) => o.state === 'pending' && now - o.updatedAt >= olderThanMs && !ctx.follower.isFollowing(o.clientOrderId));
  for (const order of stranded) await resumeOrder(ctx, order);
  return stranded.length;
}

/** Looks the order up and follows it; false when the broker never got it. */
async function resumeOrder(ctx: TradingContext, record: OrderRecord): Promise<boolean> {
  let order: Order | null;
  try {
    order = record.brokerId ? await ctx.broker.getOrder(record.brokerId) : await ctx.broker.findOrderByClientId(record.clientOrderId);
  } catch (err) {
    ctx.logger.warn('recovery.lookup_failed', { client_order_id: record.clientOrderId, error: describeError(err) });
    return true; // unknown: keep it unfinished for the next start rather than guess
  }
  if (!order) {
    ctx.journal.failOrder(record.clientOrderId, NEVER_SENT);
    ctx.logger.warn('recovery.order_never_sent', { client_order_id: record.clientOrderId });
    return false;
  }
  ctx.journal.updateOrder(record.clientOrderId, order);
  ctx.logger.info('recovery.order_found', { client_order_id: record.clientOrderId, state: order.state });
  const job = jobFor(ctx, record.signalId);
  if (!job || record.leg === 'flatten') return true;
  if (PROTECTIVE_LEGS.includes(record.leg as ProtectiveLeg)) {
    followProtective(ctx, job, order);
    return true;
  }
  ctx.follower.follow(order, (final) =>
    record.leg === 'close' ? ctx.locks.run(job.signal.symbol, () => settleClose(ctx, job, final)) : settleEntry(ctx, job, final, heldAfter(job, final)),
  );
  return true;
}

/** A working signal with nothing in flight: finish what the journal says was left. */
async function resumeSignal(ctx: TradingContext, record: SignalRecord): Promise<void> {
  const orders = ctx.journal.ordersForSignal(record.id);
  const job: TradeJob = { signalId: record.id, signal: record.signal };
  const reached = (o: OrderRecord) => o.state === 'filled' || (o.state === 'failed' && o.reason !== NEVER_SENT);
  // The latest entry decides: a row's order cancelled and sent again smaller (`net`) ends with the resend.
  const entry = [...orders].reverse().find((o) => (o.leg === 'open' || o.leg === 'scale' || o.leg === 'net') && reached(o));
  if (entry) return settleEntry(ctx, job, asOrder(entry), heldAfter(job, asOrder(entry)));
  const close = orders.find((o) => o.leg === 'close' && reached(o));
  if (close?.state === 'filled') return settleClose(ctx, job, asOrder(close));
  if (close) return conclude(ctx, record.id, record.signal, { status: 'FAILED', reason: close.reason ?? 'close order failed', decision: 'recovered: close failed', sheet: true });
  const age = ctx.clock.now().getTime() - record.receivedAt;
  if (age > ctx.timings.flipResumeMaxAgeMs) {
    const reason = `not traded: the server restarted and the signal is ${Math.round(age / 1000)}s old`;
    return conclude(ctx, record.id, record.signal, { status: 'FAILED', reason, decision: 'recovered: ' + reason, sheet: true });
  }
  ctx.logger.info('recovery.rerun_signal', { signal: record.id, age_s: Math.round(age / 1000) });
  const rerun = await jobWithRow(ctx, record);
  if (!rerun) return;
  const start = await startTrade(ctx, rerun);
  await start.rest;
}

/** The job of a journaled signal: settling an order needs only the signal. */
function jobFor(ctx: TradingContext, signalId: string): TradeJob | undefined {
  const record = ctx.journal.getSignal(signalId);
  return record && { signalId, signal: record.signal };
}

/** A re-run decides as a new signal would: from the row as it is now (ending the signal when it has none, or it is off). */
async function jobWithRow(ctx: TradingContext, record: SignalRecord): Promise<TradeJob | undefined> {
  try {
    const { table } = await ctx.config.readFor(ctx.clock.now().getTime());
    const row = findRow(table, record.signal.symbol, record.signal.timeframe);
    if (!row) conclude(ctx, record.id, record.signal, { status: 'ignored', reason: 'no Config row', decision: 'recovered: ignored', sheet: false });
    else if (!row.active) conclude(ctx, record.id, record.signal, { status: 'INACTIVE', decision: 'recovered: row inactive', sheet: true });
    return row?.active ? { signalId: record.id, signal: record.signal, row } : undefined;
  } catch (err) {
    return { signalId: record.id, signal: record.signal, rowProblem: `config unavailable: ${describeError(err)}` };
  }
}

/** The side an entry order leaves the symbol on: the signal's own target side. */
function heldAfter(job: TradeJob, order: Order): 'long' | 'short' {
  const target = targetOf(job.signal);
  if (target.kind === 'side' || target.kind === 'scale') return target.side;
  return order.side === 'buy' ? 'long' : 'short';
}

function asOrder(o: OrderRecord): Order {
  return {
    id: o.brokerId ?? '', clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, status: o.brokerStatus ?? o.state,
    state: o.state === 'filled' ? 'filled' : o.state === 'failed' ? 'failed' : 'open', filledQty: o.filledQty ?? 0,
    filledAvgPrice: o.filledAvgPrice, reason: o.reason,
  };
}
