/** Trading API: orders and positions, the endpoints whose rules the bot depends on most. */
import { type Book, dec, OPEN_STATUSES, round9 } from './book';
import { acceptOrder, cancelOrder, requestCancel } from './fill-engine';
import { alpacaError, checkOrder } from './order-rules';
import { ok, type Route } from './router';
import { orderJson, positionJson } from './shapes';
import type { OrderState, Reply } from './types';

const NOT_FOUND = 40410000;
const FORBIDDEN = 40310000;

const positionMissing = (): Reply => alpacaError(404, NOT_FOUND, 'position does not exist');
const orderMissing = (): Reply => alpacaError(404, NOT_FOUND, 'order not found');

/** GET /v2/orders filtering: status (open by default), symbols, side, after/until, direction, limit ≤ 500. */
function listOrders(book: Book, q: URLSearchParams): Reply {
  const status = q.get('status') ?? 'open';
  // BTCUSD and BTC/USD name one crypto asset.
  const symbols = q
    .get('symbols')
    ?.split(',')
    .map((s) => book.symbolOf(s))
    .filter(Boolean);
  const limit = Math.min(Number(q.get('limit') ?? 50) || 50, 500);
  const after = q.get('after');
  const until = q.get('until');
  let list = book.orders.filter((o) => {
    const open = OPEN_STATUSES.has(o.status);
    if (status === 'open' && !open) return false;
    if (status === 'closed' && open) return false;
    if (symbols && !symbols.includes(o.symbol)) return false;
    if (q.get('side') && o.side !== q.get('side')) return false;
    if (after && o.submitted_at <= new Date(after).toISOString()) return false;
    if (until && o.submitted_at >= new Date(until).toISOString()) return false;
    return true;
  });
  list = q.get('direction') === 'asc' ? list : [...list].reverse();
  // nested=true rolls an OCO's leg up under its parent; otherwise every order is listed on its own.
  if (q.get('nested') === 'true')
    return ok(
      list
        .filter((o) => !o.parentId)
        .slice(0, limit)
        .map((o) => orderJson(o, legsOf(book, o))),
    );
  return ok(list.slice(0, limit).map((o) => orderJson(o)));
}

/** DELETE /v2/positions/{symbol}: a market order for the held quantity (or `qty` / `percentage` of it). */
export function closePosition(book: Book, symbol: string, q: URLSearchParams): Reply {
  const position = book.positions.get(symbol);
  if (!position) return positionMissing();
  const available = Math.abs(book.qtyAvailable(symbol));
  const pct = q.get('percentage');
  const requested = q.get('qty')
    ? Number(q.get('qty'))
    : pct
      ? round9((Math.abs(position.qty) * Number(pct)) / 100)
      : Math.abs(position.qty);
  if (requested > available + 1e-9 || available === 0) {
    return alpacaError(403, FORBIDDEN, `insufficient qty available for order (requested: ${dec(requested)}, available: ${dec(available)})`);
  }
  const side = position.qty > 0 ? 'sell' : 'buy';
  const tif = book.isCrypto(symbol) ? 'gtc' : 'day';
  const order = acceptOrder(book, { symbol, side, type: 'market', time_in_force: tif, qty: requested });
  return ok(orderJson(order));
}

function findOrder(book: Book, pred: (o: OrderState) => boolean): Reply {
  const order = book.orders.find(pred);
  return order ? ok(orderJson(order, legsOf(book, order))) : orderMissing();
}

/** An OCO parent's leg, which Alpaca nests in the parent's `legs`. */
function legsOf(book: Book, order: OrderState): OrderState[] {
  return book.orders.filter((o) => o.parentId === order.id);
}

/** The orders and positions routes over one book. */
export function orderRoutes(book: Book): Route[] {
  const trading = 'trading' as const;
  return [
    {
      host: trading,
      method: 'POST',
      path: /^\/v2\/orders$/,
      handle: ({ body }) => {
        if (typeof body !== 'object' || body === null) return alpacaError(400, 40010000, 'request body format is invalid');
        const checked = checkOrder(book, body as Record<string, unknown>);
        if (!checked.ok) return checked.reply;
        const order = acceptOrder(book, checked.order);
        return ok(orderJson(order, legsOf(book, order)));
      },
    },
    { host: trading, method: 'GET', path: /^\/v2\/orders$/, handle: ({ query }) => listOrders(book, query) },
    {
      host: trading,
      method: 'GET',
      path: /^\/v2\/orders:by_client_order_id$/,
      handle: ({ query }) => findOrder(book, (o) => o.client_order_id === query.get('client_order_id')),
    },
    { host: trading, method: 'GET', path: /^\/v2\/orders\/([^/]+)$/, handle: ({ params }) => findOrder(book, (o) => o.id === params[0]) },
    {
      host: trading,
      method: 'DELETE',
      path: /^\/v2\/orders\/([^/]+)$/,
      handle: ({ params }) => {
        const order = book.orders.find((o) => o.id === params[0]);
        if (!order) return orderMissing();
        if (!OPEN_STATUSES.has(order.status) || order.status === 'pending_cancel') {
          return alpacaError(422, 42210000, `order is already in "${order.status}" state`);
        }
        requestCancel(book, order);
        return { status: 204 };
      },
    },
    {
      host: trading,
      method: 'DELETE',
      path: /^\/v2\/orders$/,
      handle: () => {
        const open = book.openOrders();
        open.forEach((o) => cancelOrder(book, o));
        return ok(
          open.map((o) => ({ id: o.id, status: 200, body: orderJson(o) })),
          207,
        );
      },
    },
    {
      host: trading,
      method: 'GET',
      path: /^\/v2\/positions$/,
      handle: () => ok([...book.positions.values()].sort((a, b) => a.symbol.localeCompare(b.symbol)).map((p) => positionJson(book, p))),
    },
    {
      host: trading,
      method: 'GET',
      path: /^\/v2\/positions\/([^/]+)$/,
      handle: ({ params }) => {
        const p = book.positions.get(book.symbolOf(params[0]));
        return p ? ok(positionJson(book, p)) : positionMissing();
      },
    },
    {
      host: trading,
      method: 'DELETE',
      path: /^\/v2\/positions\/([^/]+)$/,
      handle: ({ params, query }) => closePosition(book, book.symbolOf(params[0]), query),
    },
    {
      host: trading,
      method: 'DELETE',
      path: /^\/v2\/positions$/,
      handle: ({ query }) => {
        if (query.get('cancel_orders') === 'true') book.openOrders().forEach((o) => cancelOrder(book, o));
        const results = [...book.positions.keys()].map((symbol) => {
          const reply = closePosition(book, symbol, new URLSearchParams());
          return { symbol, status: reply.status, body: reply.body };
        });
        return ok(results, 207);
      },
    },
  ];
}
