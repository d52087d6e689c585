import type Database from 'better-sqlite3';
import { allocateFill, type OrderMeaning } from '../../domain/trading/order-meaning';
import type { RowBookChange, RowBookEntry, RowBooks } from '../../ports';
import type { Row } from './rows';

/**
 * The per-row books in SQLite: `row_books` holds each row's signed shares,
 * `row_changes` every change with its price. A change carrying a `ref` (the
 * client order id of the fill, or the signal of a netted change) is applied
 * at most once, so a fill seen again after a restart never counts twice.
 */
export class RowBooksTable {
  constructor(private readonly db: Database.Database) {}

  /** Every row's book, or those of one symbol. */
  books(symbol?: string): RowBookEntry[] {
    const rows = (
      symbol === undefined
        ? this.db.prepare('SELECT * FROM row_books ORDER BY symbol, timeframe').all()
        : this.db.prepare('SELECT * FROM row_books WHERE symbol = ? ORDER BY timeframe').all(symbol)
    ) as Row[];
    return rows.map((r) => ({
      symbol: r.symbol as string,
      timeframe: r.timeframe as string,
      qty: r.qty as number,
      changedAt: r.changed_at as number,
    }));
  }

  /** Applies one change (once per ref) to the row's book; false when the ref was applied before. */
  apply(change: Omit<RowBookChange, 'id'>): boolean {
    return this.db.transaction(() => {
      const inserted = this.db
        .prepare('INSERT OR IGNORE INTO row_changes (ref, symbol, timeframe, qty, price, source, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(change.ref ?? null, change.symbol, change.timeframe, change.qty, change.price ?? null, change.source, change.at);
      if (inserted.changes === 0) return false;
      this.db
        .prepare(
          `INSERT INTO row_books (symbol, timeframe, qty, changed_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(symbol, timeframe) DO UPDATE SET qty = round(qty + excluded.qty, 9), changed_at = excluded.changed_at`,
        )
        .run(change.symbol, change.timeframe, change.qty, change.at);
      return true;
    })();
  }

  /** Changes at or after `sinceMs`, oldest first. */
  changes(sinceMs: number): RowBookChange[] {
    return (this.db.prepare('SELECT * FROM row_changes WHERE at >= ? ORDER BY at, id').all(sinceMs) as Row[]).map((r) => ({
      id: r.id as number,
      ref: (r.ref as string | null) ?? undefined,
      symbol: r.symbol as string,
      timeframe: r.timeframe as string,
      qty: r.qty as number,
      price: (r.price as number | null) ?? undefined,
      source: r.source as RowBookChange['source'],
      at: r.at as number,
    }));
  }

  /** Empties every book (a fresh start of per-row mode); the change history is kept for the record. */
  clear(): void {
    this.db.prepare('DELETE FROM row_books').run();
  }

  /** The timeframe of the signal whose order last filled in `symbol` (flatten orders aside). */
  latestTradeRow(symbol: string): string | undefined {
    const r = this.db
      .prepare(
        `SELECT json_extract(s.signal, '$.timeframe') AS timeframe FROM orders o JOIN signals s ON s.id = o.signal_id
         WHERE o.symbol = ? AND o.state = 'filled' AND o.leg <> 'flatten' ORDER BY o.updated_at DESC, o.rowid DESC LIMIT 1`,
      )
      .get(symbol) as Row | undefined;
    return (r?.timeframe as string | undefined) ?? undefined;
  }

  /**
   * After an order's update: a final order with fills moves the books it
   * carries at its fill price — its one row (`book`), or, for a flatten's
   * close, every row it closes, each up to its own share.
   */
  applyFill(clientOrderId: string, at: number): void {
    const o = this.db.prepare('SELECT * FROM orders WHERE client_order_id = ?').get(clientOrderId) as Row | undefined;
    if (!o || o.state === 'pending' || o.state === 'open') return;
    const filled = (o.filled_qty as number | null) ?? 0;
    if (!(filled > 0)) return;
    const price = (o.filled_avg_price as number | null) ?? undefined;
    const symbol = o.symbol as string;
    const books = o.meaning ? (JSON.parse(o.meaning as string) as OrderMeaning).books : undefined;
    if (books?.length) {
      for (const share of allocateFill(books, filled)) {
        this.apply({
          ref: `${clientOrderId}:${share.timeframe}`,
          symbol,
          timeframe: share.timeframe,
          qty: share.qty,
          price,
          source: 'fill',
          at,
        });
      }
      return;
    }
    if (o.book === null) return;
    const qty = o.side === 'buy' ? filled : -filled;
    this.apply({ ref: clientOrderId, symbol, timeframe: o.book as string, qty, price, source: 'fill', at });
  }
}

/** The journal's `RowBooks` part, over the table. */
export function rowBooksJournal(books: RowBooksTable): RowBooks {
  return {
    rowBooks: (symbol) => books.books(symbol),
    applyRowChange: (change) => books.apply(change),
    rowChanges: (sinceMs) => books.changes(sinceMs),
    clearRowBooks: () => books.clear(),
    latestTradeRow: (symbol) => books.latestTradeRow(symbol),
  };
}
