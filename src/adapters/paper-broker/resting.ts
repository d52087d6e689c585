/**
 * The paper broker's resting exits: stop, stop-limit, limit and trailing stop
 * orders and OCO pairs, held GTC for whole shares as Alpaca holds them (any
 * quantity of a crypto pair, whose stop-limit and target hold its coins once), in the
 * `paper_resting` table. The prices alerts bring are the market here: each
 * mark moves trailing stops and returns the orders it reaches.
 */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { RejectedError } from '../../domain/errors';
import { isCryptoSymbol } from '../../domain/signal/symbol';
import { assetRules, type BrokerRules, roundToTick } from '../../domain/trading/broker-rules';
import type { Order, OrderRequest, RestingTerms } from '../../domain/types';

/** A row of `paper_resting`. */
interface RestingRow {
  id: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  type: 'stop' | 'stop_limit' | 'limit' | 'trailing_stop';
  stop_price: number | null;
  limit_price: number | null;
  trail_percent: number | null;
  hwm: number | null;
  /** The OCO parent's id, on its stop leg. */
  parent_id: string | null;
  status: 'new' | 'filled' | 'canceled';
  filled_avg_price: number | null;
  created_at: string;
}

/** Creates the table when missing. */
export function createRestingTable(db: Database): void {
  if (db.readonly) return;
  db.exec(`CREATE TABLE IF NOT EXISTS paper_resting (
    id TEXT PRIMARY KEY, client_order_id TEXT NOT NULL UNIQUE, symbol TEXT NOT NULL, side TEXT NOT NULL, qty REAL NOT NULL,
    type TEXT NOT NULL, stop_price REAL, limit_price REAL, trail_percent REAL, hwm REAL, parent_id TEXT,
    status TEXT NOT NULL, filled_avg_price REAL, created_at TEXT NOT NULL)`);
}

/** The resting exits of one paper book, trailing on the ticks of `rules`. */
export class RestingExits {
  constructor(
    private readonly db: Database,
    private readonly rules: BrokerRules,
  ) {
    createRestingTable(db);
  }

  private trailStop(side: 'buy' | 'sell', hwm: number, pct: number): number {
    return roundToTick(hwm * (side === 'sell' ? 1 - pct / 100 : 1 + pct / 100), assetRules(this.rules));
  }

  /**
   * Records a resting exit (and an OCO's stop leg); `price` is the latest known, where a trailing stop starts.
   * A `working` order (a day limit order waiting for its price) may be for fractional shares; exits are GTC, whole.
   */
  place(request: OrderRequest, terms: RestingTerms, price: number | undefined, now: string, working = false): Order {
    const qty = request.qty;
    const crypto = isCryptoSymbol(request.symbol);
    if (qty === undefined || !(qty > 0) || (!working && !crypto && (!Number.isInteger(qty) || qty < 1)))
      throw new RejectedError('fractional orders must be DAY orders', 422);
    if (crypto && (terms.type === 'stop' || terms.type === 'trailing_stop' || terms.type === 'oco')) {
      throw new RejectedError(`invalid order type for crypto order: ${terms.type}`, 422);
    }
    const insert = this.db.prepare(`INSERT INTO paper_resting (id, client_order_id, symbol, side, qty, type, stop_price, limit_price,
        trail_percent, hwm, parent_id, status, created_at)
      VALUES (@id, @client_order_id, @symbol, @side, @qty, @type, @stop_price, @limit_price,
        @trail_percent, @hwm, @parent_id, 'new', @created_at)`);
    const base = {
      client_order_id: request.clientOrderId,
      symbol: request.symbol,
      side: request.side,
      qty,
      stop_price: null,
      limit_price: null,
      trail_percent: null,
      hwm: null,
      parent_id: null,
      created_at: now,
    };
    const id = randomUUID();
    this.db.transaction(() => {
      if (terms.type === 'trailing_stop') {
        if (price === undefined) throw new RejectedError(`no price known for ${request.symbol} to trail from`, 422);
        insert.run({
          ...base,
          id,
          type: 'trailing_stop',
          trail_percent: terms.trailPercent,
          hwm: price,
          stop_price: this.trailStop(request.side, price, terms.trailPercent),
        });
      } else if (terms.type === 'oco') {
        insert.run({ ...base, id, type: 'limit', limit_price: terms.limitPrice });
        insert.run({ ...base, id: randomUUID(), client_order_id: randomUUID(), type: 'stop', stop_price: terms.stopPrice, parent_id: id });
      } else if (terms.type === 'stop') {
        insert.run({ ...base, id, type: 'stop', stop_price: terms.stopPrice });
      } else if (terms.type === 'stop_limit') {
        insert.run({ ...base, id, type: 'stop_limit', stop_price: terms.stopPrice, limit_price: terms.limitPrice });
      } else {
        insert.run({ ...base, id, type: 'limit', limit_price: terms.limitPrice });
      }
    })();
    return this.get(id)!;
  }

  /** The order by id or client order id, with an OCO parent's leg nested; undefined when unknown. */
  get(id: string, column: 'id' | 'client_order_id' = 'id'): Order | undefined {
    const row = this.db.prepare(`SELECT * FROM paper_resting WHERE ${column} = ?`).get(id) as RestingRow | undefined;
    return row && this.toOrder(row);
  }

  /** Open resting exits, optionally of one symbol, legs included. */
  open(symbol?: string): Order[] {
    const rows = this.db
      .prepare(`SELECT * FROM paper_resting WHERE status = 'new' ${symbol ? 'AND symbol = ?' : ''} ORDER BY created_at, rowid`)
      .all(...(symbol ? [symbol] : [])) as RestingRow[];
    return rows.map((r) => this.toOrder(r));
  }

  /** Shares the open exits of `symbol` on `side` hold (an OCO pair holds them once; so do a crypto pair's stop and target). */
  held(symbol: string, side: 'buy' | 'sell'): number {
    const total = isCryptoSymbol(symbol) ? 'MAX' : 'SUM';
    const row = this.db
      .prepare(
        `SELECT COALESCE(${total}(qty), 0) AS q FROM paper_resting WHERE status = 'new' AND symbol = ? AND side = ? AND parent_id IS NULL`,
      )
      .get(symbol, side) as { q: number };
    return row.q;
  }

  /** Cancels an open exit and the other order of its OCO pair; false when it is not a resting exit. */
  cancel(id: string): boolean {
    const row = this.db.prepare('SELECT * FROM paper_resting WHERE id = ?').get(id) as RestingRow | undefined;
    if (!row) return false;
    this.end(row, 'canceled');
    return true;
  }

  /** Cancels every open exit. */
  cancelAll(): void {
    this.db.prepare(`UPDATE paper_resting SET status = 'canceled' WHERE status = 'new'`).run();
  }

  /** Moves trailing stops with `price` and returns the open exits of `symbol` it reaches. */
  reached(symbol: string, price: number): Order[] {
    const rows = this.db.prepare(`SELECT * FROM paper_resting WHERE status = 'new' AND symbol = ?`).all(symbol) as RestingRow[];
    const due: Order[] = [];
    for (const r of rows) {
      if (r.type === 'trailing_stop' && r.hwm !== null && r.trail_percent !== null) {
        r.hwm = r.side === 'sell' ? Math.max(r.hwm, price) : Math.min(r.hwm, price);
        r.stop_price = this.trailStop(r.side, r.hwm, r.trail_percent);
        this.db.prepare('UPDATE paper_resting SET hwm = ?, stop_price = ? WHERE id = ?').run(r.hwm, r.stop_price, r.id);
      }
      const sell = r.side === 'sell';
      const atLimit = sell ? price >= r.limit_price! : price <= r.limit_price!;
      const throughStop = sell ? price <= r.stop_price! : price >= r.stop_price!;
      // A stop-limit fills once the price is through its stop but not beyond its limit.
      const hit = r.type === 'limit' ? atLimit : r.type === 'stop_limit' ? throughStop && atLimit : throughStop;
      if (hit) due.push(this.toOrder(r));
    }
    return due;
  }

  /** Marks an exit filled at `price` and cancels the other order of its OCO pair. */
  filled(id: string, price: number): void {
    const row = this.db.prepare('SELECT * FROM paper_resting WHERE id = ?').get(id) as RestingRow;
    this.db.prepare('UPDATE paper_resting SET filled_avg_price = ? WHERE id = ?').run(price, id);
    this.end(row, 'filled');
  }

  private end(row: RestingRow, status: 'filled' | 'canceled'): void {
    if (row.status !== 'new') return;
    this.db.prepare('UPDATE paper_resting SET status = ? WHERE id = ?').run(status, row.id);
    // One order of an OCO pair ending ends the other: cancelled.
    this.db
      .prepare(`UPDATE paper_resting SET status = 'canceled' WHERE status = 'new' AND (id = ? OR parent_id = ?)`)
      .run(row.parent_id ?? '', row.id);
  }

  private toOrder(r: RestingRow): Order {
    const filled = r.status === 'filled';
    const order: Order = {
      id: r.id,
      clientOrderId: r.client_order_id,
      symbol: r.symbol,
      side: r.side,
      qty: r.qty,
      type: r.type,
      status: r.status,
      state: filled ? 'filled' : r.status === 'canceled' ? 'failed' : 'open',
      filledQty: filled ? r.qty : 0,
    };
    if (filled && r.filled_avg_price !== null) order.filledAvgPrice = r.filled_avg_price;
    if (r.stop_price !== null) order.stopPrice = r.stop_price;
    if (r.limit_price !== null) order.limitPrice = r.limit_price;
    if (r.trail_percent !== null) order.trailPercent = r.trail_percent;
    if (r.status === 'canceled') order.reason = 'the order was canceled';
    if (r.parent_id === null) {
      const legs = this.db.prepare('SELECT * FROM paper_resting WHERE parent_id = ?').all(r.id) as RestingRow[];
      if (legs.length) order.legs = legs.map((l) => this.toOrder(l));
    }
    return order;
  }
}
