import { pathSymbol } from '../../domain/signal/symbol';
import { BOT_ORDER_PREFIX } from '../../domain/trading/client-order-id';
import { describeError } from '../../domain/errors';
import type { Order } from '../../domain/types';
import type { TradingContext } from '../context';
import type { HaltState, KillSwitch } from '../guards/kill-switch';
import { cancelAndWait } from '../orders/cancel-and-wait';
import { conclude } from '../outcome';
import { placeOrder } from '../orders/place-order';
import { pollUntil, withRetry } from '../../shared/retry';

/** One symbol's close, as the report shows it. */
export interface FlattenClose {
  symbol: string;
  side: string;
  qty: number;
  order_id: string;
  state: string;
}

/** What POST /flatten did, for the trader to read. */
export interface FlattenReport {
  /** `pending`: closes are queued at the broker (the market is closed) and fill when it opens. */
  status: 'flattened' | 'pending' | 'incomplete';
  halt: HaltState;
  cancelled_orders: number;
  closed: FlattenClose[];
  /** Closes still queued at the broker, per symbol: they fill when the market opens, and move the row books then. */
  pending: FlattenClose[];
  failed: { symbol: string; reason: string }[];
  /** Config rows set to WAITING, as "SYMBOL timeframe". */
  rows_waiting: string[];
  /** Positions or orders still open at the end that no queued close covers (should be empty). */
  remaining: string[];
}

/** How long to wait for cancels to land and closes to fill before reporting. */
const SETTLE_MS = 5_000;

/**
 * The emergency stop: halt trading first (so no new signal opens anything),
 * mark every working order of the bot's superseded (whatever its fill was to
 * set off, a flip's next leg included, never happens) and cancel every open
 * order; then, under each symbol's lock (a flip in flight finishes its step
 * first), cancel what the symbol still has working and close the position
 * with a market order that carries the row books it moves, whenever it
 * fills. The report lists what is still queued instead of claiming flat.
 */
export async function flattenAll(ctx: TradingContext, killSwitch: KillSwitch): Promise<FlattenReport> {
  const halt = killSwitch.halt('flatten');
  ctx.logger.warn('flatten.start', { halt_reason: halt.reason });
  const flattenId = `${BOT_ORDER_PREFIX}flatten-${ctx.clock.now().getTime().toString(36)}`;
  const openOrders = await withRetry(ctx.clock, () => ctx.broker.listOpenOrders());
  for (const record of ctx.journal.unfinishedOrders()) ctx.journal.markSuperseded(record.clientOrderId, flattenId);
  // Signals still under way end here: nothing their orders set off will follow, nor will a restart re-run them.
  for (const s of ctx.journal.workingSignals())
    conclude(ctx, s.id, s.signal, { status: 'WAITING', reason: 'flattened', decision: 'ended by POST /flatten', sheet: false });
  await cancelAll(ctx);
  const positions = await withRetry(ctx.clock, () => ctx.broker.listPositions());
  // Rows' books that offset each other leave the broker flat; they are flattened too.
  const booked = ctx.journal
    .rowBooks()
    .filter((b) => b.qty !== 0 && ctx.strategy.flattenBooks(ctx, b.symbol)?.length)
    .map((b) => b.symbol);
  const symbols = new Set([...positions.map((p) => p.symbol), ...openOrders.map((o) => o.symbol), ...booked]);
  const closed: FlattenClose[] = [];
  const failed: FlattenReport['failed'] = [];
  await Promise.all(
    [...symbols].map((symbol) =>
      ctx.locks.run(symbol, async () => {
        try {
          const order = await flattenSymbol(ctx, flattenId, symbol);
          if (order) closed.push({ symbol, side: order.side, qty: order.qty ?? 0, order_id: order.id, state: order.state });
        } catch (err) {
          failed.push({ symbol, reason: describeError(err) });
          ctx.logger.error('flatten.close_failed', { symbol, error: describeError(err) });
        }
      }),
    ),
  );
  const rows_waiting = await markWaiting(ctx, symbols);
  const pending = closed.filter((c) => c.state === 'open');
  const remaining = await leftOpen(ctx, pending);
  const status = failed.length || remaining.length ? 'incomplete' : pending.length ? 'pending' : 'flattened';
  const report: FlattenReport = {
    status,
    halt,
    cancelled_orders: openOrders.length,
    closed: closed.filter((c) => c.state !== 'open'),
    pending,
    failed,
    rows_waiting,
    remaining,
  };
  ctx.logger.warn('flatten.done', {
    status,
    cancelled: openOrders.length,
    closed: report.closed.length,
    pending: pending.length,
    failed: failed.length,
    remaining,
  });
  return report;
}

/** Cancels everything and waits briefly for the cancels to land: a close can't be sent against shares held by an open order. */
async function cancelAll(ctx: TradingContext): Promise<void> {
  await withRetry(ctx.clock, () => ctx.broker.cancelAllOrders());
  const deadline = ctx.clock.now().getTime() + SETTLE_MS;
  const listOpen = () => ctx.broker.listOpenOrders();
  await pollUntil(ctx.clock, await listOpen(), listOpen, (open) => open.length === 0, { deadline, pauseMs: () => 200 });
}

/**
 * Under the symbol's lock: whatever of the bot's is still working (a leg a
 * flip sent meanwhile) is superseded and cancelled, then the live position
 * is closed (re-read here); null when it is already flat. The close carries
 * the row books it moves; a close still queued after SETTLE_MS is left to the reactor.
 */
async function flattenSymbol(ctx: TradingContext, flattenId: string, symbol: string): Promise<Order | null> {
  for (const order of await withRetry(ctx.clock, () => ctx.broker.listOwnOpenOrders(symbol))) {
    ctx.journal.markSuperseded(order.clientOrderId, flattenId);
    await cancelAndWait(ctx, order);
  }
  // The protection the position wants is cleared by the close's fill, whenever it comes: while the close
  // is queued nothing is placed (a trade is working), and a position the close never closes (its close
  // refused, or cancelled by a later alert after /resume) keeps its protection.
  const position = await withRetry(ctx.clock, () => ctx.broker.getPosition(symbol));
  if (!position || position.qty === 0) {
    netFlattenedBooks(ctx, flattenId, symbol, await withRetry(ctx.clock, () => ctx.broker.getLatestPrice(symbol)).catch(() => undefined));
    return null;
  }
  const order = await placeOrder(
    ctx,
    flattenId,
    'flatten',
    {
      symbol,
      side: position.qty > 0 ? 'sell' : 'buy',
      qty: Math.abs(position.qty),
      clientOrderId: `${flattenId}-${pathSymbol(symbol)}`,
      // Only the local paper broker fills at a reference price; Alpaca ignores it.
      referencePrice: position.currentPrice ?? Math.abs(position.marketValue / position.qty),
    },
    { role: 'flatten', books: ctx.strategy.flattenBooks(ctx, symbol) },
  );
  const final = await ctx.orders.awaitFinal(order, SETTLE_MS, 500);
  if (final.state === 'open') ctx.orders.follow(final);
  return final;
}

/**
 * With the broker flat, rows whose books offset each other (+30 and -30) are
 * closed inside the symbol, at `price`, with no order. Books that don't sum
 * to zero wait for a fill not yet seen; this runs again when it is (an order
 * a flatten superseded), so the rows end flat either way.
 */
export function netFlattenedBooks(ctx: TradingContext, flattenId: string, symbol: string, price?: number): void {
  const books = ctx.strategy.flattenBooks(ctx, symbol) ?? [];
  if (books.length === 0 || Math.abs(books.reduce((sum, b) => sum + b.qty, 0)) > 1e-9) return;
  const at = ctx.clock.now().getTime();
  for (const b of books)
    ctx.journal.applyRowChange({
      ref: `${flattenId}:${symbol}:${b.timeframe}`,
      symbol,
      timeframe: b.timeframe,
      qty: b.qty,
      price,
      source: 'netted',
      at,
    });
  ctx.logger.info('flatten.books_netted', { symbol, books });
}

/** True for a client order id of POST /flatten's: what a flatten supersedes carries it. */
export const isFlattenId = (id: string | undefined): id is string => id?.startsWith(`${BOT_ORDER_PREFIX}flatten-`) === true;

/** Sets every active Config row of the affected symbols to WAITING. */
async function markWaiting(ctx: TradingContext, symbols: Set<string>): Promise<string[]> {
  if (symbols.size === 0) return [];
  try {
    const { table } = await ctx.config.readFor(ctx.clock.now().getTime());
    // An inactive row keeps saying INACTIVE: that is still the truer word for it.
    const rows = table.rows.filter((r) => r.active && symbols.has(r.symbol));
    for (const r of rows) ctx.outbox.post(r.symbol, r.timeframe, 'WAITING', 'flattened');
    return rows.map((r) => `${r.symbol} ${r.timeframeLabel}`);
  } catch (err) {
    ctx.logger.warn('flatten.rows_not_marked', { error: describeError(err) });
    return [];
  }
}

/** Whatever is still open at the broker, leaving out our own closes still queued and the positions they close. */
async function leftOpen(ctx: TradingContext, pending: FlattenClose[]): Promise<string[]> {
  try {
    const working = new Set(pending.map((c) => c.order_id));
    const closing = new Set(pending.map((c) => c.symbol));
    const [positions, orders] = await Promise.all([ctx.broker.listPositions(), ctx.broker.listOpenOrders()]);
    return [
      ...positions.filter((p) => !closing.has(p.symbol)).map((p) => `position ${p.symbol} ${p.qty}`),
      ...orders.filter((o) => !working.has(o.id)).map((o) => `order ${o.symbol} ${o.side} ${o.id}`),
    ];
  } catch (err) {
    return [`unknown: ${describeError(err)}`];
  }
}
