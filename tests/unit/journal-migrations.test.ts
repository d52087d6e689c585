import Database from 'better-sqlite3';
import { migrate } from '../../src/adapters/sqlite-journal/migrations';

const tables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);

describe('journal migrations', () => {
  it('when a fresh journal is migrated, then the Signals log is step 2 and the row books step 3', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['signal_log', 'row_books', 'row_changes']));
  });

  it('when a journal at step 2 (Signals log, no row books) starts, then only the row books are added and its Signals log is kept', () => {
    const db = new Database(':memory:');
    migrate(db);
    // Back to what a journal written before the row books holds.
    db.exec('DROP TABLE row_books; DROP TABLE row_changes; ALTER TABLE orders DROP COLUMN book;');
    db.pragma('user_version = 2');
    db.prepare('INSERT INTO signal_log (signal_id, received_at) VALUES (?, ?)').run('sig-1', 1);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['row_books', 'row_changes']));
    expect(db.prepare('SELECT signal_id FROM signal_log').all()).toEqual([{ signal_id: 'sig-1' }]);
    expect(() => db.prepare('SELECT book FROM orders').all()).not.toThrow();
    migrate(db); // every start calls it: nothing more to do
    expect(db.pragma('user_version', { simple: true })).toBe(3);
  });
});
