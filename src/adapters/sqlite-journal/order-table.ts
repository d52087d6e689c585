import type Database from 'better-sqlite3';
import type { OrderMeaning, OrderRole } from '../../domain/trading/order-meaning';
import type { OrderJournal, OrderRecord } from '../../ports';
import type { RowBooksTable } from './row-books-table';
import { orUndef, type Row } from './rows';

const FINAL = new Set(['filled', 'failed']);

function toOrder(r: Row): OrderRecord {
  return {
    clientOrderId: r.client_order_id as string,
    signalId: r.signal_id as string,
    leg: r.leg as OrderRecord['leg'],
    symbol: r.symbol as string,
    side: r.side as OrderRecord['side'],
    qty: orUndef(r.qty as number | null),
    notional: orUndef(r.notional as number | null),
    state: r.state as OrderRecord['state'],
    brokerId: orUndef(r.broker_id as string | null),
    brokerStatus: orUndef(r.broker_status as string | null),
    filledQty: orUndef(r.filled_qty as number | null),
    filledAvgPrice: orUndef(r.filled_avg_price as number | null),
    reason: orUndef(r.reason as string | null),
    book: orUndef(r.book as string | null),
    role: (r.role as OrderRole | null) ?? 'exit',
    meaning: r.meaning ? (JSON.parse(r.meaning as string) as OrderMeaning) : { role: (r.role as OrderRole | null) ?? 'exit' },
    parent: orUndef(r.parent as string | null),
    settledAt: orUndef(r.settled_at as number | null),
    supersededBy: orUndef(r.superseded_by as string | null),
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  };
}

/** The journal's `OrderJournal` part: the `orders` table; a fill moves the row books in the same transaction. */
export function orderTable(db: Database.Database, books: RowBooksTable, now: () => number): OrderJournal {
  const fillListeners: ((symbol: string) => void)[] = [];
  const list = (sql: string, ...params: unknown[]) => (db.prepare(sql).all(...params) as Row[]).map(toOrder);
  const getOrder = (clientOrderId: string): OrderRecord | undefined => {
    const r = db.prepare('SELECT * FROM orders WHERE client_order_id = ?').get(clientOrderId) as Row | undefined;
    return r && toOrder(r);
  };

  return {
    recordOrder(o) {
      const at = now();
      db.prepare(
        `INSERT OR IGNORE INTO orders (client_order_id, signal_id, leg, symbol, side, qty, notional, book, role, meaning, parent,
           created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        o.clientOrderId,
        o.signalId,
        o.leg,
        o.symbol,
        o.side,
        o.qty ?? null,
        o.notional ?? null,
        o.book ?? null,
        o.meaning.role,
        JSON.stringify(o.meaning),
        o.parent ?? null,
        at,
        at,
      );
    },

    onOrderFilled(listener) {
      fillListeners.push(listener);
    },

    updateOrder(clientOrderId, order) {
      const stored = db.transaction(() => {
        const before = getOrder(clientOrderId);
        if (!before) return undefined;
        // A late or repeated event never takes an order back from its end, nor its fills backwards.
        if (FINAL.has(before.state) && order.state === 'open') return { before, after: before };
        if (before.state === 'filled' && order.state !== 'filled') return { before, after: before };
        const filled = Math.max(order.filledQty, before.filledQty ?? 0);
        db.prepare(
          `UPDATE orders SET state = ?, broker_id = ?, broker_status = ?, filled_qty = ?, filled_avg_price = COALESCE(?, filled_avg_price),
           reason = COALESCE(?, reason), updated_at = ? WHERE client_order_id = ?`,
        ).run(
          order.state,
          order.id || before.brokerId || null,
          order.status,
          filled,
          order.filledAvgPrice ?? null,
          order.reason ?? null,
          now(),
          clientOrderId,
        );
        books.applyFill(clientOrderId, now());
        return { before, after: getOrder(clientOrderId)! };
      })();
      if (!stored) return undefined;
      const { before, after } = stored;
      // An OCO pair fills through its stop leg while the parent ends cancelled: that too is a fill, once, as the parent ends.
      const legFilled = (order.legs ?? []).some((leg) => leg.filledQty > 0) && before.state !== after.state;
      // After the commit, so a listener reads the fill; a listener's failure is its own, never the journal's.
      if ((after.filledQty ?? 0) > (before.filledQty ?? 0) || legFilled) {
        for (const listener of fillListeners) {
          try {
            listener(after.symbol);
          } catch {
            // The listener logs its own failures.
          }
        }
      }
      return after;
    },

    markSettled(clientOrderId) {
      db.prepare('UPDATE orders SET settled_at = ? WHERE client_order_id = ? AND settled_at IS NULL').run(now(), clientOrderId);
    },

    markSuperseded(clientOrderId, bySignalId) {
      db.prepare('UPDATE orders SET superseded_by = ? WHERE client_order_id = ?').run(bySignalId, clientOrderId);
    },

    unsettledOrders: () =>
      list("SELECT * FROM orders WHERE settled_at IS NULL AND state IN ('filled', 'failed') ORDER BY created_at, rowid"),

    workingOrders: (symbol) =>
      list("SELECT * FROM orders WHERE symbol = ? AND state IN ('pending', 'open') ORDER BY created_at, rowid", symbol),

    failOrder(clientOrderId, reason) {
      // The caller handles the refusal there and then: nothing is left for the reactor to apply.
      db.prepare(
        "UPDATE orders SET state = 'failed', reason = ?, updated_at = ?, settled_at = COALESCE(settled_at, ?) WHERE client_order_id = ?",
      ).run(reason, now(), now(), clientOrderId);
    },

    getOrder,

    ordersForSignal: (signalId) => list('SELECT * FROM orders WHERE signal_id = ? ORDER BY created_at, rowid', signalId),

    lastFlatAt(symbol) {
      const r = db
        .prepare(
          `SELECT MAX(COALESCE(settled_at, updated_at)) AS at FROM orders
           WHERE symbol = ? AND state = 'filled' AND filled_qty > 0 AND (leg IN ('close', 'flatten') OR role IN ('flatten', 'protective'))`,
        )
        .get(symbol) as Row | undefined;
      return (r?.at as number | null) ?? undefined;
    },

    unfinishedOrders: () => list("SELECT * FROM orders WHERE state IN ('pending', 'open') ORDER BY created_at, rowid"),

    signalFills(sinceMs) {
      const rows = db
        .prepare(
          `SELECT o.symbol, o.side, o.filled_qty, o.filled_avg_price, s.signal, o.updated_at FROM orders o
           JOIN signals s ON s.id = o.signal_id
           WHERE o.state = 'filled' AND o.leg = 'open' AND o.filled_avg_price IS NOT NULL AND s.received_at >= ?`,
        )
        .all(sinceMs) as Row[];
      return rows.flatMap((r) => {
        const price = (JSON.parse(r.signal as string) as { price?: number }).price;
        if (!price) return [];
        return [
          {
            symbol: r.symbol as string,
            side: r.side as 'buy' | 'sell',
            signalPrice: price,
            fillPrice: r.filled_avg_price as number,
            qty: r.filled_qty as number,
            time: r.updated_at as number,
          },
        ];
      });
    },
  };
}
