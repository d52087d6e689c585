import type Database from 'better-sqlite3';

/** Schema steps in order; `user_version` records how many have run. Append only. */
const MIGRATIONS: string[] = [
  // outbox.attempts is no longer written or read; the column stays, since a step never changes once shipped.
  `CREATE TABLE signals (
     id TEXT PRIMARY KEY,
     identity TEXT NOT NULL,
     identity_kind TEXT NOT NULL,
     received_at INTEGER NOT NULL,
     raw TEXT NOT NULL,
     signal TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'working',
     decision TEXT, status TEXT, reason TEXT
   );
   CREATE INDEX signals_identity ON signals(identity, received_at);
   CREATE INDEX signals_state ON signals(state);
   CREATE TABLE orders (
     client_order_id TEXT PRIMARY KEY,
     signal_id TEXT NOT NULL,
     leg TEXT NOT NULL,
     symbol TEXT NOT NULL,
     side TEXT NOT NULL,
     qty REAL, notional REAL,
     state TEXT NOT NULL DEFAULT 'pending',
     broker_id TEXT, broker_status TEXT,
     filled_qty REAL, filled_avg_price REAL, reason TEXT,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
   );
   CREATE INDEX orders_signal ON orders(signal_id);
   CREATE INDEX orders_state ON orders(state);
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     symbol TEXT NOT NULL, timeframe TEXT NOT NULL,
     status TEXT NOT NULL, reason TEXT, updated_at TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // The Signals tab's log: one entry per authenticated alert (a duplicate gets its own).
  `CREATE TABLE signal_log (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     signal_id TEXT NOT NULL,
     duplicate INTEGER NOT NULL DEFAULT 0,
     received_at INTEGER NOT NULL,
     answer_status TEXT, latency_ms INTEGER,
     dirty INTEGER NOT NULL DEFAULT 1
   );
   CREATE UNIQUE INDEX signal_log_signal ON signal_log(signal_id) WHERE duplicate = 0;
   CREATE INDEX signal_log_dirty ON signal_log(dirty) WHERE dirty > 0;
   CREATE INDEX signals_received ON signals(received_at);`,
  // Per-row positions (POSITION_MODE=per-row): each row's book, and every change to it (the lots for per-row P&L).
  `CREATE TABLE row_books (
     symbol TEXT NOT NULL, timeframe TEXT NOT NULL,
     qty REAL NOT NULL, changed_at INTEGER NOT NULL,
     PRIMARY KEY (symbol, timeframe)
   );
   CREATE TABLE row_changes (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     ref TEXT UNIQUE,
     symbol TEXT NOT NULL, timeframe TEXT NOT NULL,
     qty REAL NOT NULL, price REAL,
     source TEXT NOT NULL, at INTEGER NOT NULL
   );
   CREATE INDEX row_changes_at ON row_changes(at);
   ALTER TABLE orders ADD COLUMN book TEXT;`,
];

/** Brings the schema up to date at start-up; safe to call on every start. A read-only journal is left as the service made it. */
export function migrate(db: Database.Database): void {
  if (db.readonly) return;
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
