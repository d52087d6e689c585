/**
 * The catch-up read after a gap in the order stream: every order submitted or
 * changed after a moment. Alpaca's `after` on GET /v2/orders compares the
 * *submission* time only, so an order placed before the gap that filled or
 * ended during it needs other reads: the open orders (changed but still
 * open), the latest closed page (ended recently), and the FILL activities
 * (filled, however old the order).
 */
import type { Alpaca, trading } from '@alpacahq/alpaca-trade-api';
import { translateError } from './alpaca-errors';
import { listFills } from './alpaca-history';

/** Alpaca's largest page of orders. */
const PAGE = 500;

/** When an order last changed, in ms (its submission when Alpaca sent no update time). */
const changedAt = (o: trading.Order): number => (o.updatedAt ?? o.submittedAt ?? o.createdAt ?? new Date(0)).getTime();

/** True when the order, or one of its nested legs, changed after `ms`. */
const changedAfter = (o: trading.Order, ms: number): boolean =>
  changedAt(o) > ms || (o.legs ?? []).some((leg) => changedAt(leg as trading.Order) > ms);

/** Ids of an order and of its nested legs. */
const idsOf = (o: trading.Order): string[] => [o.id ?? '', ...(o.legs ?? []).map((leg) => leg.id ?? '')].filter(Boolean);

/**
 * Pages GET /v2/orders (`nested`, oldest submission first) from `after`: each
 * next page starts a millisecond before the last order's submission, because
 * `after` is exclusive and several orders can share a millisecond; repeats
 * are dropped by id, and a page that brings nothing new ends the walk.
 */
async function walk(alpaca: Alpaca, status: 'all' | 'open', after: Date | undefined): Promise<trading.Order[]> {
  const byId = new Map<string, trading.Order>();
  let cursor = after;
  for (;;) {
    const page = await alpaca.trading.orders
      .getAllOrders({ status, after: cursor?.toISOString(), direction: 'asc', nested: true, limit: PAGE })
      .catch((err: unknown) => {
        throw translateError(err, `listing ${status} orders`);
      });
    const fresh = page.filter((o) => o.id && !byId.has(o.id));
    for (const o of fresh) byId.set(o.id!, o);
    const last = page[page.length - 1]?.submittedAt;
    if (page.length < PAGE || fresh.length === 0 || !last) break;
    cursor = new Date(last.getTime() - 1);
  }
  return [...byId.values()];
}

/** Every order submitted or changed after `after`, each once (legs nested), ordered by its last change. */
export async function ordersSince(alpaca: Alpaca, after: Date, now: Date): Promise<trading.Order[]> {
  const afterMs = after.getTime();
  const found = new Map<string, trading.Order>();
  const legIds = new Set<string>();
  const add = (o: trading.Order) => {
    if (!o.id || legIds.has(o.id)) return;
    const known = found.get(o.id);
    if (!known || changedAt(o) >= changedAt(known)) found.set(o.id, o);
    for (const id of idsOf(o).slice(1)) {
      legIds.add(id);
      found.delete(id);
    }
  };
  (await walk(alpaca, 'all', after)).forEach(add);
  (await walk(alpaca, 'open', undefined)).filter((o) => changedAfter(o, afterMs)).forEach(add);
  const recentlyClosed = await alpaca.trading.orders
    .getAllOrders({ status: 'closed', direction: 'desc', nested: true, limit: PAGE })
    .catch((err: unknown) => {
      throw translateError(err, 'listing closed orders');
    });
  recentlyClosed.filter((o) => changedAfter(o, afterMs)).forEach(add);
  // An order older than that closed page which filled meanwhile shows in the fills.
  const filledIds = new Set((await listFills(alpaca, after, now)).map((f) => f.orderId).filter(Boolean));
  for (const id of filledIds) {
    if (found.has(id) || legIds.has(id)) continue;
    add(await alpaca.trading.orders.getOrderByOrderID({ orderId: id, nested: true }).catch((err: unknown) => {
      throw translateError(err, `reading order ${id}`);
    }));
  }
  return [...found.values()].sort((a, b) => changedAt(a) - changedAt(b) || (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0));
}
