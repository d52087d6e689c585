/**
 * The paper account's book: cash, FIFO lots and last prices, valued at those
 * prices. Cash moves by each fill's value (a short sale credits it), so
 * equity = cash + Σ qty × last price. Lots are matched by the same FIFO as the
 * Performance tab, so the average entry price agrees with its round trips.
 */
import type { Database } from 'better-sqlite3';
import { matchFifo } from '../../domain/performance/fifo';
import { roundCents, roundQty } from '../../domain/performance/money';
import type { Fill, Position } from '../../domain/types';
import type { LotRow } from './schema';

/** Cash, equity and gross exposure (Σ |market value|) at last prices. */
export interface Valuation {
  cash: number;
  equity: number;
  gross: number;
}

/** Reads and updates the `paper_account`, `paper_lots` and `paper_prices` tables. */
export class PaperBook {
  constructor(private readonly db: Database) {}

  /** Cash and the starting cash the book was created with. */
  account(): { cash: number; starting_cash: number } {
    return this.db.prepare('SELECT cash, starting_cash FROM paper_account WHERE id = 1').get() as { cash: number; starting_cash: number };
  }

  /** The last price recorded for `symbol`, if any. */
  lastPrice(symbol: string): number | undefined {
    const row = this.db.prepare('SELECT price FROM paper_prices WHERE symbol = ?').get(symbol) as { price: number } | undefined;
    return row?.price;
  }

  /** Records `symbol`'s latest price. */
  setPrice(symbol: string, price: number, time: string): void {
    this.db
      .prepare(
        'INSERT INTO paper_prices (symbol, price, time) VALUES (?, ?, ?) ' +
          'ON CONFLICT(symbol) DO UPDATE SET price = excluded.price, time = excluded.time',
      )
      .run(symbol, price, time);
  }

  /** FIFO lots, oldest first; only `symbol`'s when given. */
  lots(symbol?: string): LotRow[] {
    const sql = `SELECT symbol, qty, price, time FROM paper_lots ${symbol ? 'WHERE symbol = ?' : ''} ORDER BY seq`;
    return this.db.prepare(sql).all(...(symbol ? [symbol] : [])) as LotRow[];
  }

  /** Signed shares held in `symbol`. */
  positionQty(symbol: string): number {
    return roundQty(this.lots(symbol).reduce((sum, l) => sum + l.qty, 0));
  }

  /** Moves cash by the fill's value and matches it FIFO against the symbol's lots. */
  book(fill: Fill): void {
    const value = fill.qty * fill.price * (fill.side === 'buy' ? -1 : 1);
    this.db.prepare('UPDATE paper_account SET cash = ? WHERE id = 1').run(roundCents(this.account().cash + value));
    const { openLots } = matchFifo([fill], this.lots(fill.symbol));
    this.db.prepare('DELETE FROM paper_lots WHERE symbol = ?').run(fill.symbol);
    const insert = this.db.prepare('INSERT INTO paper_lots (symbol, qty, price, time) VALUES (?, ?, ?, ?)');
    for (const lot of openLots) insert.run(lot.symbol, roundQty(lot.qty), lot.price, lot.time);
  }

  /** Open positions by symbol, valued at each symbol's last price. */
  positions(): Position[] {
    const bySymbol = new Map<string, LotRow[]>();
    for (const lot of this.lots()) {
      const list = bySymbol.get(lot.symbol);
      if (list) list.push(lot);
      else bySymbol.set(lot.symbol, [lot]);
    }
    return [...bySymbol.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([symbol, lots]) => {
        const qty = lots.reduce((sum, l) => sum + l.qty, 0);
        const avgEntryPrice = lots.reduce((sum, l) => sum + l.qty * l.price, 0) / qty;
        const price = this.lastPrice(symbol) ?? avgEntryPrice;
        return {
          symbol,
          qty: roundQty(qty),
          side: qty > 0 ? 'long' : 'short',
          avgEntryPrice,
          marketValue: roundCents(qty * price),
          unrealizedPl: roundCents(lots.reduce((sum, l) => sum + (price - l.price) * l.qty, 0)),
          currentPrice: price,
        };
      });
  }

  /** The account valued at last prices. */
  valuation(): Valuation {
    const { cash } = this.account();
    const values = this.positions().map((p) => p.qty * (p.currentPrice as number));
    return {
      cash,
      equity: roundCents(values.reduce((sum, v) => sum + v, cash)),
      gross: values.reduce((sum, v) => sum + Math.abs(v), 0),
    };
  }
}
