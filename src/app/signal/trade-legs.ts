/*
 * Sending a signal's legs: the first, answered at once; any next leg when the
 * one before it fills (lifecycle/settle-order.ts). Every leg goes through `sendLeg`,
 * which re-checks the halt and the breaker immediately before it goes and
 * journals the order with its meaning.
 */
import { clientOrderId, type OrderLeg } from '../../domain/trading/client-order-id';
import { AssetChangedError, RejectedError } from '../../domain/errors';
import { type OrderMeaning, withLimit } from '../../domain/trading/order-meaning';
import type { Order } from '../../domain/types';
import type { Exposure, GuardVerdict, TradingContext } from '../context';
import { orAfter } from '../../shared/clock';
import { aboutSignal, type AnsweredLeg, conclude, concludeRefusal, refusal, type SignalOutcome, type TradeStart } from '../outcome';
import { placeOrder } from '../orders/place-order';
import { type LegOrder, readyLeg, rowLimit } from './limit-order';
import type { Ending, FirstLeg } from '../strategies/position-strategy';
import type { TradeJob } from '../trade-job';
import { meaningForSession } from './session-order';

/** What became of one leg: sent, refused by a brake just before sending, or refused by the broker. */
export type LegResult = { kind: 'sent'; order: Order } | { kind: 'refused'; verdict: GuardVerdict } | { kind: 'rejected'; reason: string };

/** Whether a leg with this meaning opens exposure: what a halt or the breaker stops. */
export const exposureOf = (meaning: OrderMeaning): Exposure => (meaning.role === 'entry' ? 'entry' : 'exit');

/**
 * Sends one order leg of a signal, journaled with its meaning. The halt and
 * the breaker are checked immediately before it goes, so a halt or POST
 * /flatten reaches work already under way: an entry decided before the halt
 * is never sent after it. In pre-market and after-hours a row with
 * extended_hours sends it as an extended-hours limit (`meaningForSession`).
 * A limit leg is priced here, and its timeout armed once it is sent.
 * TemporaryError (outcome unknown after every retry) propagates. In per-row
 * mode its fills move the signal's own row's book.
 */
export async function sendLeg(
  ctx: TradingContext,
  job: TradeJob,
  leg: Extract<OrderLeg, 'close' | 'open' | 'scale'>,
  sized: LegOrder,
  intent: OrderMeaning,
  parent?: string,
): Promise<LegResult> {
  const exposure = exposureOf(intent);
  const verdict = await ctx.guards.beforeLeg?.(exposure);
  if (verdict) {
    ctx.logger.warn('order.refused_before_send', { signal: job.signalId, leg, exposure, reason: verdict.reason });
    return { kind: 'refused', verdict };
  }
  try {
    const labelled: OrderMeaning = {
      ...intent,
      label: intent.label ?? job.row?.timeframeLabel ?? job.label,
      ...(intent.extendedHours || job.row?.extendedHours ? { extendedHours: true } : {}),
    };
    const { order, meaning } = await readyLeg(ctx, job.signal.symbol, sized, await meaningForSession(ctx, job, sized, labelled));
    const request = {
      ...order,
      symbol: job.signal.symbol,
      // An exit sent again after its order was not filled in time is numbered: -close2, -close3.
      clientOrderId: clientOrderId(job.signalId, leg, ctx.broker.rules, meaning.attempt),
      referencePrice: job.signal.price,
    };
    const sent = await placeOrder(ctx, job.signalId, leg, request, meaning, { book: ctx.strategy.bookOf(job), parent });
    ctx.orders.watchTimeout(request.clientOrderId);
    return { kind: 'sent', order: sent };
  } catch (err) {
    if (err instanceof AssetChangedError) {
      ctx.assets.forget(job.signal.symbol);
      ctx.logger.warn('asset.changed', { symbol: job.signal.symbol, reason: err.message });
    }
    if (err instanceof RejectedError) return { kind: 'rejected', reason: err.message };
    throw err;
  }
}

/** How long a flip's answer waits for its opening leg to go, so the answer can list both orders. */
const FLIP_ANSWER_WAIT_MS = 1000;

/**
 * Sends the signal's first leg and answers: submitted (or, when its entry was
 * refused, the refusal with the exit still sent), with each leg sent. A
 * flip's answer waits briefly for its opening leg, so it lists both orders;
 * while the close is queued it lists the opening leg as following it.
 * `rest` follows the order, and what its fill sets off, while the caller
 * keeps the symbol's lock.
 */
export async function startFirstLeg(ctx: TradingContext, job: TradeJob, given: FirstLeg): Promise<TradeStart> {
  // The row's order_type: its legs (this one, and the one its fill sets off) go as limit orders.
  const first = { ...given, meaning: withLimit(given.meaning, rowLimit(job.row)) };
  const sent = await sendLeg(ctx, job, first.leg, first.order, first.meaning);
  if (sent.kind === 'refused') return ended(ctx, job, { kind: 'refused', verdict: sent.verdict });
  if (sent.kind === 'rejected') return ended(ctx, job, { kind: 'settled', status: 'FAILED', reason: sent.reason, decision: 'rejected' });
  ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'ORDER SUBMITTED', first.meaning.note);
  const rest = followHot(ctx, sent.order);
  const answer = (chainEnded: boolean): SignalOutcome => {
    const legs = legsSent(ctx, job, first, chainEnded);
    const about = aboutSignal(job.signalId, job.signal, job.row);
    const orderIds = legs.flatMap((l) => (l.order_id ? [l.order_id] : []));
    if (first.meaning.refusal && first.leg === 'close')
      return { ...refusal(about, first.meaning.refusal, orderIds), legs } as SignalOutcome;
    // The size as sent: an extended-hours leg goes in whole shares where the plan said dollars.
    const size = legs[0] ?? first.order;
    return { kind: 'submitted', about, orderIds, qty: size.qty, notional: size.notional, legs };
  };
  const outcome = first.meaning.next
    ? orAfter(
        rest.then(() => true),
        FLIP_ANSWER_WAIT_MS,
        () => false,
      ).then(answer, () => answer(true))
    : answer(true);
  return { outcome, rest };
}

/** The legs of the signal sent so far, in order, and (while its chain goes on) a next leg still to follow the first. */
function legsSent(ctx: TradingContext, job: TradeJob, first: FirstLeg, chainEnded: boolean): AnsweredLeg[] {
  const sent = ctx.journal.ordersForSignal(job.signalId).filter((o) => o.role !== 'protective' && o.brokerId);
  const legs: AnsweredLeg[] = sent.map((o) => ({ side: o.side, qty: o.qty, notional: o.notional, order_id: o.brokerId }));
  const next = first.meaning.next;
  if (next && !chainEnded && sent.length < 2)
    legs.push({ side: next.side, qty: next.qty, notional: next.notional, after: 'the close fills' });
  return legs;
}

/** How long the lock is held for an order with a timeout (a limit): a marketable one has filled by then. */
const WORKING_HOT_MS = 1000;

/**
 * Follows an order while the caller holds its symbol's lock: until it ends
 * (by the stream's event, or polling) or the flip timeout passes (a second, for an order with a timeout). An ended
 * order has its meaning applied now; a slower one is left to the reactor,
 * which applies it under the lock whenever it ends.
 */
export async function followHot(ctx: TradingContext, order: Order): Promise<void> {
  // A working limit may wait for its price until its timeout: the symbol's later alerts (whose prices may be that price) must not wait too.
  const working = ctx.journal.getOrder(order.clientOrderId)?.meaning.timeout !== undefined;
  const final = await ctx.orders.awaitFinal(
    order,
    working ? Math.min(WORKING_HOT_MS, ctx.timings.flipFillTimeoutMs) : ctx.timings.flipFillTimeoutMs,
  );
  if (final.state === 'open') {
    ctx.logger.info('order.still_working', {
      symbol: final.symbol,
      order_id: final.id,
      client_order_id: final.clientOrderId,
      status: final.status,
    });
    ctx.orders.follow(final);
    return;
  }
  await ctx.orders.settleNow(final.clientOrderId);
}

/** Ends the signal with no order (more) to send, or leaves it waiting behind a queued order of the bot's. */
export function ended(ctx: TradingContext, job: TradeJob, ending: Ending): TradeStart {
  const about = aboutSignal(job.signalId, job.signal, job.row);
  if (ending.kind === 'deferred') {
    ctx.outbox.post(job.signal.symbol, job.signal.timeframe, 'ORDER SUBMITTED', ending.reason);
    return { outcome: { kind: 'submitted', about, orderIds: [], queued: ending.reason } };
  }
  if (ending.kind === 'refused') {
    concludeRefusal(ctx, job.signalId, job.signal, ending.verdict);
    return { outcome: refusal(about, ending.verdict) };
  }
  conclude(ctx, job.signalId, job.signal, { status: ending.status, reason: ending.reason, decision: ending.decision, sheet: true });
  return { outcome: { kind: 'settled', about, status: ending.status, reason: ending.reason } };
}
