/**
 * The Journal on SQLite, put together from one part per port in
 * `src/ports` (each in the file beside it) over one database:
 * `signal-table.ts` (SignalJournal), `order-table.ts` (OrderJournal),
 * `status-queue-table.ts` (StatusQueue), `row-books-table.ts` (RowBooks),
 * `symbol-state-table.ts` (TradeState, StateStore).
 */
import type Database from 'better-sqlite3';
import type { Journal } from '../../ports';
import { migrate } from './migrations';
import { orderTable } from './order-table';
import { RowBooksTable, rowBooksJournal } from './row-books-table';
import { signalTable } from './signal-table';
import { statusQueueTable } from './status-queue-table';
import { stateTable, tradeStateTable } from './symbol-state-table';

/** The journal's members are the parts' (merged in by the constructor). */
export interface SqliteJournal extends Journal {}

/** The Journal on SQLite. Every call is one synchronous transaction, so a crash leaves no half-written record. */
export class SqliteJournal {
  constructor(db: Database.Database, now: () => number = Date.now) {
    migrate(db);
    const books = new RowBooksTable(db);
    const journal: Journal = {
      atomically: <T>(work: () => T): T => db.transaction(work)(),
      ...signalTable(db),
      ...orderTable(db, books, now),
      ...statusQueueTable(db),
      ...rowBooksJournal(books),
      ...tradeStateTable(db),
      ...stateTable(db),
    };
    Object.assign(this, journal);
  }
}
