/*
 * What an order's timeout means once the order ended without filling in
 * time (see `Timeout` in the order meaning): an entry ends with what filled
 * (settle-order.ts); an exit is never left undone, so it is sent again, for
 * the shares it has left, until it has had EXIT_TRIES tries, and then it is
 * FAILED and every channel is told.
 */
import { EXIT_TRIES, nextExitTry } from '../../domain/trading/order-meaning';
import type { Order } from '../../domain/types';
import type { OrderRecord } from '../../ports';
import type { TradingContext } from '../context';
import { conclude } from '../outcome';
import { sendAll } from '../../shared/send-all';
import type { TradeJob } from '../trade-job';
import { followHot, sendLeg } from '../signal/trade-legs';

/**
 * True when the order had a timeout and ended without filling whole: an
 * entry cancelled or expired (a rejected one fails as any other), or an
 * exit ended any way but filled.
 */
export function endedInTime(record: OrderRecord, order: Order): boolean {
  if (!record.meaning.timeout || order.state === 'filled') return false;
  return record.role !== 'entry' || order.status === 'canceled' || order.status === 'expired';
}

/**
 * An exit that did not fill in time: its shares left go again (at market,
 * or in extended hours as a limit re-priced from the new last trade), under
 * the next numbered client order id, with what its fill was to set off. After
 * the last try, or when the broker refuses the next one, FAILED and an alert
 * on every channel. True when a try was sent.
 */
export async function retryExit(ctx: TradingContext, job: TradeJob, record: OrderRecord, order: Order): Promise<boolean> {
  const left = Math.round(((record.qty ?? 0) - order.filledQty) * 1e9) / 1e9;
  const next = nextExitTry(record.meaning, order.filledQty);
  const waited = `not filled in ${record.meaning.timeout!.seconds} s`;
  if (!next || !(left > 0)) {
    exitNotDone(ctx, job, `exit ${waited}, ${EXIT_TRIES} tries: ${order.status}${order.reason ? ` (${order.reason})` : ''}`);
    return false;
  }
  const leg = record.leg as 'close' | 'open' | 'scale';
  const sent = await sendLeg(ctx, job, leg, { side: record.side, qty: left }, next, record.clientOrderId);
  if (sent.kind !== 'sent') {
    exitNotDone(ctx, job, `exit ${waited}; try ${next.attempt} refused: ${sent.kind === 'refused' ? sent.verdict.reason : sent.reason}`);
    return false;
  }
  const how = next.limit ? 'at a new limit' : 'at market';
  ctx.logger.warn('order.exit_retried', { signal: job.signalId, symbol: job.signal.symbol, attempt: next.attempt, qty: left, how });
  ctx.outbox.post(
    job.signal.symbol,
    job.signal.timeframe,
    'ORDER SUBMITTED',
    `exit ${waited}; try ${next.attempt} of ${EXIT_TRIES} ${how}`,
  );
  await followHot(ctx, sent.order);
  return true;
}

/** The exit could not be done: the row is FAILED, and every channel is told, since the position is still open. */
function exitNotDone(ctx: TradingContext, job: TradeJob, reason: string): void {
  const { symbol, timeframeLabel } = job.signal;
  ctx.logger.error('order.exit_failed', { signal: job.signalId, symbol, reason });
  conclude(ctx, job.signalId, job.signal, { status: 'FAILED', reason, decision: 'exit failed', sheet: true });
  void sendAll(
    ctx.notifiers ?? [],
    {
      kind: 'alert',
      title: `${symbol} exit failed: the position is still open`.slice(0, 120),
      text: `${symbol} ${timeframeLabel}: ${reason}. The position is still open; close it by hand or send the alert again.`,
    },
    ctx.logger,
  );
}
