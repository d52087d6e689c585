import Database from 'better-sqlite3';
import { migrate } from '../../../src/adapters/sqlite-journal/migrations';
import { SqliteJournal } from '../../../src/adapters/sqlite-journal/sqlite-journal';

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
const version = (db: Database.Database) => db.pragma('user_version', { simple: true });

describe('journal migrations', () => {
  it('when a fresh journal is migrated, then the Signals log is step 2, the row books step 3 and the order meanings step 4', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(version(db)).toBe(4);
    expect(tables(db)).toEqual(expect.arrayContaining(['signal_log', 'row_books', 'row_changes', 'symbol_state']));
  });

  it('when a journal at step 2 (Signals log, no row books) starts, then the later steps are added and its Signals log is kept', () => {
    const db = new Database(':memory:');
    migrate(db, 2);
    db.prepare('INSERT INTO signal_log (signal_id, received_at) VALUES (?, ?)').run('sig-1', 1);
    migrate(db);
    expect(version(db)).toBe(4);
    expect(tables(db)).toEqual(expect.arrayContaining(['row_books', 'row_changes']));
    expect(db.prepare('SELECT signal_id FROM signal_log').all()).toEqual([{ signal_id: 'sig-1' }]);
    expect(() => db.prepare('SELECT book, role, meaning, parent, settled_at, superseded_by FROM orders').all()).not.toThrow();
    migrate(db); // every start calls it: nothing more to do
    expect(version(db)).toBe(4);
  });

  it(
    'when a step-3 journal holds string keys for a flip under way, a superseded ' +
      'order and a retold row, then each moves into its column and the keys are gone',
    () => {
      const db = new Database(':memory:');
      migrate(db, 3);
      const order = db.prepare(
        `INSERT INTO orders (client_order_id, signal_id, leg, symbol, side, qty, state, created_at, updated_at)
         VALUES (?, ?, ?, 'AAPL', 'sell', 3, ?, 1, 1)`,
      );
      order.run('tb-s1-close', 's1', 'close', 'open');
      order.run('tb-s0-open', 's0', 'open', 'filled');
      order.run('tb-s2-open', 's2', 'open', 'open');
      db.prepare(
        `INSERT INTO signals (id, identity, identity_kind, received_at, raw, signal, state, status)
         VALUES ('s0', 'k0', 'stable', 1, '{}', '{"symbol":"AAPL","timeframe":"15m"}', 'done', 'FILLED')`,
      ).run();
      const key = db.prepare('INSERT INTO state (key, value) VALUES (?, ?)');
      key.run('after-close:s1', JSON.stringify({ kind: 'open', size: { ok: true, side: 'sell', qty: 26 } }));
      key.run('superseded:tb-s2-open', 's9');
      key.run('reconciled:s0', '2026-01-01T00:00:00Z');
      key.run('trading.halt', '{"halted":false}');
      migrate(db);
      const journal = new SqliteJournal(db);
      expect(journal.getOrder('tb-s1-close')).toMatchObject({
        role: 'exit',
        meaning: { next: { side: 'sell', qty: 26, exposure: 'entry' } },
      });
      expect(journal.getOrder('tb-s1-close')!.settledAt).toBeUndefined();
      expect(journal.getOrder('tb-s0-open')).toMatchObject({ role: 'entry', settledAt: 1 });
      expect(journal.getOrder('tb-s2-open')!.supersededBy).toBe('s9');
      expect(journal.rowsBelievedOpen()).toEqual([]);
      expect(db.prepare('SELECT key FROM state').all()).toEqual([{ key: 'trading.halt' }]);
    },
  );
});
