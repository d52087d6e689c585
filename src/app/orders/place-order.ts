import { describeError, DuplicateOrderError, RejectedError, TemporaryError } from '../../domain/errors';
import { withTimeInForce } from '../../domain/trading/crypto';
import type { OrderMeaning } from '../../domain/trading/order-meaning';
import type { Order, OrderRequest } from '../../domain/types';
import type { Broker, Clock, Logger, OrderJournal, OrderRecord } from '../../ports';
import { exponentialBackoff, retry } from '../../shared/retry';

/** What placing orders needs. */
export interface OrderDeps {
  broker: Broker;
  journal: OrderJournal;
  clock: Clock;
  logger: Logger;
}

const SUBMIT_ATTEMPTS = 3;
/** The wait before looking up a submission whose answer was lost: 250 ms, doubling, at most 2 s. */
const SUBMIT_BACKOFF = exponentialBackoff(250, 2000);

/**
 * Sends an order exactly once (a crypto order GTC, as crypto takes no day
 * orders). It is journaled with its meaning before it is
 * sent (`book` names the Config row whose book its fills move in per-row
 * mode, `parent` the order whose fill sent it). When the outcome is unknown
 * (timeout, network, 5xx) the order is looked up by its client order id
 * before anything is sent again, and a DuplicateOrderError (the id was
 * already used) is resolved the same way, so a retry can never double it.
 * Throws RejectedError when the broker refuses it; TemporaryError when its fate
 * is still unknown after the retries (the journal keeps it `pending` for recovery).
 */
export async function placeOrder(
  deps: OrderDeps,
  signalId: string,
  leg: OrderRecord['leg'],
  asked: OrderRequest,
  meaning: OrderMeaning,
  link: { book?: string; parent?: string } = {},
): Promise<Order> {
  const { broker, journal, clock, logger } = deps;
  const request = withTimeInForce(asked);
  journal.recordOrder({ ...request, signalId, leg, book: link.book, parent: link.parent, meaning });
  // The wait happens inside each try, before the lookup, so only `OutcomeUnknown` reaches the helper.
  return retry(
    clock,
    { attempts: SUBMIT_ATTEMPTS, retryable: (err) => err instanceof OutcomeUnknown && !err.duplicate, delayMs: () => 0 },
    async (attempt) => {
      try {
        const order = await broker.submitOrder(request);
        journal.updateOrder(request.clientOrderId, order);
        logger.info('order.submitted', {
          signal: signalId,
          leg,
          role: meaning.role,
          symbol: request.symbol,
          side: request.side,
          qty: request.qty,
          notional: request.notional,
          order_id: order.id,
          client_order_id: request.clientOrderId,
        });
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
        if (!duplicate) await clock.sleep(SUBMIT_BACKOFF(attempt));
        const found = await findQuietly(broker, request.clientOrderId);
        if (found) {
          journal.updateOrder(request.clientOrderId, found);
          logger.info('order.found_by_client_id', { signal: signalId, leg, order_id: found.id, client_order_id: request.clientOrderId });
          return found;
        }
        throw new OutcomeUnknown(`order ${request.clientOrderId} outcome unknown: ${describeError(err)}`, duplicate);
      }
    },
  );
}

/** A submission whose fate is still unknown after the lookup; a duplicate is never resent. */
class OutcomeUnknown extends TemporaryError {
  constructor(
    message: string,
    readonly duplicate: boolean,
  ) {
    super(message);
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
