import { describeError, DuplicateOrderError, RejectedError, TemporaryError } from '../domain/errors';
import type { Order, OrderRequest } from '../domain/types';
import type { Broker, Clock, Journal, Logger, OrderRecord } from '../ports';

/** What placing and following orders needs. */
export interface OrderDeps {
  broker: Broker;
  journal: Journal;
  clock: Clock;
  logger: Logger;
}

const SUBMIT_ATTEMPTS = 3;

/**
 * Sends an order exactly once. It is journaled before it is sent. When the
 * outcome is unknown (timeout, network, 5xx) the order is looked up by its
 * client order id before anything is sent again, and a DuplicateOrderError
 * (the id was already used) is resolved the same way, so a retry can never double it.
 * Throws RejectedError when the broker refuses it; TemporaryError when its fate
 * is still unknown after the retries (the journal keeps it `pending` for recovery).
 * `book` names the Config row whose book its fills move (per-row mode).
 */
export async function placeOrder(
  deps: OrderDeps,
  signalId: string,
  leg: OrderRecord['leg'],
  request: OrderRequest,
  book?: string,
): Promise<Order> {
  const { broker, journal, clock, logger } = deps;
  journal.recordOrder({ ...request, signalId, leg, book });
  for (let attempt = 1; ; attempt++) {
    try {
      const order = await broker.submitOrder(request);
      journal.updateOrder(request.clientOrderId, order);
      logger.info('order.submitted', { signal: signalId, leg, symbol: request.symbol, side: request.side, qty: request.qty, notional: request.notional, order_id: order.id, client_order_id: request.clientOrderId });
      return order;
    } catch (err) {
      const duplicate = err instanceof DuplicateOrderError;
      if (err instanceof RejectedError && !duplicate) {
        journal.failOrder(request.clientOrderId, err.message);
        logger.warn('order.rejected', { signal: signalId, leg, symbol: request.symbol, reason: err.message });
        throw err;
      }
      if (!duplicate && !(err instanceof TemporaryError)) throw err;
      logger.warn('order.outcome_unknown', { signal: signalId, leg, attempt, error: describeError(err) });
      if (!duplicate) await clock.sleep(Math.min(2000, 250 * 2 ** (attempt - 1)));
      const found = await findQuietly(broker, request.clientOrderId);
      if (found) {
        journal.updateOrder(request.clientOrderId, found);
        logger.info('order.found_by_client_id', { signal: signalId, leg, order_id: found.id, client_order_id: request.clientOrderId });
        return found;
      }
      if (duplicate || attempt >= SUBMIT_ATTEMPTS) {
        throw new TemporaryError(`order ${request.clientOrderId} outcome unknown: ${describeError(err)}`);
      }
    }
  }
}

/** The order by client id; undefined when it can't be told right now (the next attempt decides). */
async function findQuietly(broker: Broker, clientOrderId: string): Promise<Order | null | undefined> {
  try {
    return await broker.findOrderByClientId(clientOrderId);
  } catch {
    return undefined;
  }
}

/**
 * Polls the order until it is filled or failed, or until `timeoutMs` passes;
 * returns the last state seen (which may still be `open`). Temporary errors
 * while polling are ridden out.
 */
export async function awaitFinal(deps: OrderDeps, order: Order, timeoutMs: number, maxPauseMs = 2000): Promise<Order> {
  const { broker, journal, clock } = deps;
  const deadline = clock.now().getTime() + timeoutMs;
  let current = order;
  // Market orders usually fill within tens of ms: poll soon, then back off.
  let pause = 25;
  while (current.state === 'open' && clock.now().getTime() < deadline) {
    await clock.sleep(Math.min(pause, Math.max(0, deadline - clock.now().getTime())));
    pause = Math.min(pause * 2, maxPauseMs);
    try {
      current = await broker.getOrder(order.id);
      journal.updateOrder(order.clientOrderId, current);
    } catch (err) {
      if (!(err instanceof TemporaryError)) throw err;
    }
  }
  return current;
}

/** Retries a read on TemporaryError a few times with a short backoff. */
export async function withRetry<T>(clock: Clock, read: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof TemporaryError) || i >= attempts) throw err;
      await clock.sleep(err.retryAfterMs && err.retryAfterMs < 3000 ? err.retryAfterMs : 200 * i);
    }
  }
}
