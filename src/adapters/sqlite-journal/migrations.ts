import type Database from 'better-sqlite3';

/** One schema step: SQL, or a function for a step that moves data. */
type Step = string | ((db: Database.Database) => void);

/** Schema steps in order; `user_version` records how many have run. Append only. */
const MIGRATIONS: Step[] = [
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
  // Orders keep their meaning (role, what their fill sets off, the books they move); typed state replaces string keys.
  orderMeaning,
];

/**
 * Brings the schema up to date at start-up (or up to step `upTo`); safe to call on every start. A
 * read-only journal is left as the service made it.
 */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): void {
  if (db.readonly) return;
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < upTo; v++) {
    db.transaction(() => {
      const step = MIGRATIONS[v];
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/**
 * Step 4: each order carries its meaning (`role`, `meaning`, `parent`), when
 * it was settled, and which signal superseded it; signals carry when their
 * row was retold and the order they wait behind; `symbol_state` holds the protection a position should have
 * and what per-row reconcile could not explain. The string keys these replace
 * are moved over, then deleted.
 */
function orderMeaning(db: Database.Database): void {
  db.exec(`
    ALTER TABLE orders ADD COLUMN role TEXT;
    ALTER TABLE orders ADD COLUMN meaning TEXT;
    ALTER TABLE orders ADD COLUMN parent TEXT;
    ALTER TABLE orders ADD COLUMN settled_at INTEGER;
    ALTER TABLE orders ADD COLUMN superseded_by TEXT;
    ALTER TABLE signals ADD COLUMN retold_at INTEGER;
    ALTER TABLE signals ADD COLUMN waits_for TEXT;
    CREATE INDEX orders_symbol_state ON orders(symbol, state);
    CREATE TABLE symbol_state (symbol TEXT PRIMARY KEY, protection TEXT, unexplained REAL);
    UPDATE orders SET role = CASE leg WHEN 'open' THEN 'entry' WHEN 'flatten' THEN 'flatten'
      WHEN 'sl' THEN 'protective' WHEN 'tp' THEN 'protective' WHEN 'trail' THEN 'protective' ELSE 'exit' END;
    -- Orders that ended before this step were settled by the code of their day.
    UPDATE orders SET settled_at = updated_at WHERE state IN ('filled', 'failed');
    UPDATE orders SET superseded_by = (SELECT value FROM state WHERE key = 'superseded:' || orders.client_order_id)
      WHERE EXISTS (SELECT 1 FROM state WHERE key = 'superseded:' || orders.client_order_id);
    UPDATE signals SET retold_at = 0 WHERE EXISTS (SELECT 1 FROM state WHERE key = 'reconciled:' || signals.id);
  `);
  // What followed a close, for a flip still under way across the upgrade.
  const afterClose = db.prepare("SELECT key, value FROM state WHERE key LIKE 'after-close:%'").all() as { key: string; value: string }[];
  const setMeaning = db.prepare("UPDATE orders SET meaning = ? WHERE signal_id = ? AND leg = 'close' AND settled_at IS NULL");
  for (const { key, value } of afterClose) {
    const after = JSON.parse(value) as {
      kind: string;
      size?: { side: string; qty?: number; notional?: number };
      exposure?: string;
      refusal?: unknown;
      verdict?: unknown;
    };
    const meaning =
      after.kind === 'open'
        ? {
            role: 'exit',
            next: { side: after.size!.side, qty: after.size!.qty, notional: after.size!.notional, exposure: after.exposure ?? 'entry' },
            refusal: after.refusal,
          }
        : { role: 'exit', refusal: after.kind === 'refused' ? after.verdict : undefined };
    setMeaning.run(JSON.stringify(meaning), key.slice('after-close:'.length));
  }
  db.exec(`DELETE FROM state WHERE key LIKE 'after-close:%' OR key LIKE 'superseded:%' OR key LIKE 'reconciled:%'
    OR key LIKE 'protection-filled:%' OR key LIKE 'rows-unexplained:%'`);
}
