import { findRow } from '../domain/config-table';
import { describeError } from '../domain/errors';
import type { Order } from '../domain/types';
import type { OrderRecord, SignalRecord } from '../ports';
import type { TradingContext } from './context';
import { completeFlip, executeTrade, settleClose, settleOpen, type TradeJob } from './execute-trade';
import { conclude, nobodyWaiting } from './outcome';

/**
 * Picks up what the journal shows unfinished after a restart: orders with no
 * final state are looked up at the broker and followed; a flip whose close
 * filled but whose open was never sent is completed while the signal is
 * young, else marked FAILED; a signal stopped before any order is re-run
 * while young, else marked FAILED; queued statuses are flushed.
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
    ctx.journal.failOrder(record.clientOrderId, 'never reached the broker');
    ctx.logger.warn('recovery.order_never_sent', { client_order_id: record.clientOrderId });
    return false;
  }
  ctx.journal.updateOrder(record.clientOrderId, order);
  ctx.logger.info('recovery.order_found', { client_order_id: record.clientOrderId, state: order.state });
  const job = jobFor(ctx, record.signalId);
  if (!job || record.leg === 'flatten') return true;
  const settle = (final: Order) => (record.leg === 'open' ? settleOpen(ctx, job, final) : settleClose(ctx, job, final));
  ctx.follower.follow(order, settle);
  return true;
}

/** A working signal with nothing in flight: finish what the journal says was left. */
async function resumeSignal(ctx: TradingContext, record: SignalRecord): Promise<void> {
  const orders = ctx.journal.ordersForSignal(record.id);
  const job = await jobWithRow(ctx, record);
  const close = orders.find((o) => o.leg === 'close');
  const open = orders.find((o) => o.leg === 'open');
  const conclude$ = (status: string, reason: string) =>
    conclude(ctx, record.id, record.signal, { status, reason, decision: 'recovered: ' + reason, sheet: true });
  if (open?.state === 'filled' || open?.state === 'failed') {
    if (job) return settleOpen(ctx, job, { ...asOrder(open), state: open.state });
  }
  if (close?.state === 'filled' && record.signal.action !== 'close') {
    if (!job) return conclude$('FAILED', 'flip not completed: its Config row is gone');
    return completeFlip(ctx, job);
  }
  if (close?.state === 'filled') return conclude$('WAITING', 'closed before the restart');
  if (orders.some((o) => o.state === 'failed')) return conclude$('FAILED', orders.find((o) => o.reason)?.reason ?? 'order failed');
  const age = ctx.clock.now().getTime() - record.receivedAt;
  if (age > ctx.timings.flipResumeMaxAgeMs || !job) {
    return conclude$('FAILED', `not traded: the server restarted and the signal is ${Math.round(age / 1000)}s old`);
  }
  ctx.logger.info('recovery.rerun_signal', { signal: record.id, age_s: Math.round(age / 1000) });
  await executeTrade(ctx, job, nobodyWaiting);
}

/** The job of a journaled signal; its row is filled in by whatever step needs it (completeFlip reads it fresh). */
function jobFor(ctx: TradingContext, signalId: string): TradeJob | undefined {
  const record = ctx.journal.getSignal(signalId);
  return record && { signalId, signal: record.signal, row: placeholderRow(record) };
}

async function jobWithRow(ctx: TradingContext, record: SignalRecord): Promise<TradeJob | undefined> {
  try {
    const { table } = await ctx.config.readFor(ctx.clock.now().getTime());
    const row = findRow(table, record.signal.symbol, record.signal.timeframe);
    return row && row.active && !row.problem ? { signalId: record.id, signal: record.signal, row } : undefined;
  } catch {
    return undefined;
  }
}

/** Settling an order needs only the signal; a step that sizes an order reads the real row first. */
function placeholderRow(record: SignalRecord): TradeJob['row'] {
  return { sheetRow: 0, symbol: record.signal.symbol, timeframe: record.signal.timeframe, timeframeLabel: record.signal.timeframeLabel, positionSize: 0, active: true };
}

function asOrder(o: OrderRecord): Order {
  return {
    id: o.brokerId ?? '', clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, status: o.brokerStatus ?? o.state,
    state: o.state === 'filled' ? 'filled' : o.state === 'failed' ? 'failed' : 'open', filledQty: o.filledQty ?? 0,
    filledAvgPrice: o.filledAvgPrice, reason: o.reason,
  };
}
