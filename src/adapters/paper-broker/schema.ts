/**
 * The paper broker's tables, all prefixed `paper_` so they live beside the
 * journal in the app's one SQLite file. Created idempotently on every start.
 */
import type { Database } from 'better-sqlite3';
import type { Fill, Order } from '../../domain/types';

/** Creates the tables when missing and the account row with `startingCash` on first use only. */
export function createPaperTables(db: Database, startingCash: number, now: string): void {
  // A read-only journal (the doctor, profit) is the service's: it already has them, and must not change.
  if (db.readonly) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS paper_account (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      cash REAL NOT NULL,
      starting_cash REAL NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS paper_orders (
      id TEXT PRIMARY KEY,
      client_order_id TEXT NOT NULL UNIQUE,
      symbol TEXT NOT NULL,
      side TEXT NOT NULL,
      qty REAL,
      notional REAL,
      filled_qty REAL NOT NULL,
      filled_avg_price REAL NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS paper_fills (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      order_id TEXT NOT NULL,
      symbol TEXT NOT NULL,
      side TEXT NOT NULL,
      qty REAL NOT NULL,
      price REAL NOT NULL,
      time TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS paper_fills_time ON paper_fills (time);
    CREATE TABLE IF NOT EXISTS paper_lots (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      symbol TEXT NOT NULL,
      qty REAL NOT NULL,
      price REAL NOT NULL,
      time TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS paper_prices (
      symbol TEXT PRIMARY KEY,
      price REAL NOT NULL,
      time TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS paper_equity (
      day TEXT PRIMARY KEY,
      equity REAL NOT NULL,
      time TEXT NOT NULL
    );
  `);
  db.prepare('INSERT OR IGNORE INTO paper_account (id, cash, starting_cash, created_at) VALUES (1, ?, ?, ?)').run(
    startingCash,
    startingCash,
    now,
  );
}

/** A row of `paper_orders`. */
export interface OrderRow {
  id: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number | null;
  notional: number | null;
  filled_qty: number;
  filled_avg_price: number;
  created_at: string;
}

/** A row of `paper_fills`; the fill id is `seq` zero-padded so ids sort in fill order. */
export interface FillRow {
  seq: number;
  order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  time: string;
}

/** A row of `paper_lots`: one FIFO lot, qty signed. */
export interface LotRow {
  symbol: string;
  qty: number;
  price: number;
  time: string;
}

/** An order row as the port's Order; paper orders are filled the moment they exist. */
export const toOrder = (r: OrderRow): Order => ({
  id: r.id,
  clientOrderId: r.client_order_id,
  symbol: r.symbol,
  side: r.side,
  ...(r.qty !== null ? { qty: r.qty } : {}),
  ...(r.notional !== null ? { notional: r.notional } : {}),
  status: 'filled',
  state: 'filled',
  filledQty: r.filled_qty,
  filledAvgPrice: r.filled_avg_price,
});

/** A fill row as the port's Fill. */
export const toFill = (r: FillRow): Fill => ({
  id: String(r.seq).padStart(12, '0'),
  symbol: r.symbol,
  side: r.side,
  qty: r.qty,
  price: r.price,
  time: r.time,
  orderId: r.order_id,
});
