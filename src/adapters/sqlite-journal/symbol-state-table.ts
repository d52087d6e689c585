import type Database from 'better-sqlite3';
import type { PositionProtection, StateStore, TradeState } from '../../ports';
import { orUndef, type Row } from './rows';

/** The journal's `TradeState` part: protection and unexplained shares per symbol (`symbol_state`), and a signal's retelling. */
export function tradeStateTable(db: Database.Database): TradeState {
  return {
    protectionOf(symbol) {
      const r = db.prepare('SELECT protection FROM symbol_state WHERE symbol = ?').get(symbol) as Row | undefined;
      return r?.protection ? (JSON.parse(r.protection as string) as PositionProtection) : undefined;
    },

    setProtection(symbol, protection) {
      db.prepare(
        'INSERT INTO symbol_state (symbol, protection) VALUES (?, ?) ON CONFLICT(symbol) DO UPDATE SET protection = excluded.protection',
      ).run(symbol, protection ? JSON.stringify(protection) : null);
    },

    protectedSymbols() {
      const rows = db
        .prepare(
          `SELECT symbol FROM symbol_state WHERE protection IS NOT NULL
                  UNION SELECT symbol FROM orders WHERE role = 'protective' AND state IN ('pending', 'open') ORDER BY symbol`,
        )
        .all() as Row[];
      return rows.map((r) => r.symbol as string);
    },

    markRetold(signalId, at) {
      db.prepare('UPDATE signals SET retold_at = ? WHERE id = ? AND retold_at IS NULL').run(at, signalId);
    },

    unexplained(symbol) {
      const r = db.prepare('SELECT unexplained FROM symbol_state WHERE symbol = ?').get(symbol) as Row | undefined;
      return orUndef((r?.unexplained as number | null | undefined) ?? null);
    },

    setUnexplained(symbol, qty) {
      db.prepare(
        'INSERT INTO symbol_state (symbol, unexplained) VALUES (?, ?) ON CONFLICT(symbol) DO UPDATE SET unexplained = excluded.unexplained',
      ).run(symbol, qty);
    },
  };
}

/** The journal's `StateStore` part: small key-value state (`state`). */
export function stateTable(db: Database.Database): StateStore {
  return {
    get(key) {
      const r = db.prepare('SELECT value FROM state WHERE key = ?').get(key) as Row | undefined;
      return r?.value as string | undefined;
    },
    set(key, value) {
      db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    },
  };
}
