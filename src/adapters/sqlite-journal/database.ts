import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../../domain/errors';

/** The journal's file name under the data directory. */
export const JOURNAL_FILE = 'trading-bot.db';

/**
 * The one SQLite file under the data directory, in WAL mode, shared by the
 * journal and the paper broker. A new data directory is made 0700 and a new
 * journal 0600 (SQLite gives its -wal and -shm files the journal's mode):
 * they hold the account's orders and positions.
 */
export function openDatabase(dataDir: string, fileName = JOURNAL_FILE): Database.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, fileName);
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * The service's journal opened read-only, for the tools that only look (the
 * doctor, profit): nothing is created, migrated or written. NotFoundError when
 * there is none, since that means the tool is looking in another data directory than the service.
 */
export function openDatabaseReadOnly(dataDir: string, fileName = JOURNAL_FILE): Database.Database {
  const file = join(dataDir, fileName);
  if (!existsSync(file)) throw new NotFoundError(`no journal at ${file}: is DATA_DIR the service's?`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
