/**
 * Every row of every table of a data folder's journal, read-only: two dumps
 * compared show whether anything at all was written in between.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

/** Each table's rows, in rowid order. */
export function journalDump(dataDir: string): Record<string, unknown[]> {
  const db = new Database(join(dataDir, 'trading-bot.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
      name: string;
    }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}
