/**
 * The embedded sheet for local mode: one CSV file per tab in a folder
 * (`<DATA_DIR>/sheet/Config.csv`, `Performance.csv`), with the same tabs and
 * columns as the Google Sheet, editable in any spreadsheet program.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NotFoundError, RejectedError, TemporaryError } from '../../domain/errors';
import { rowMapper } from '../../domain/sheet/row-identity';
import type { SheetStore, SheetWrite } from '../../ports';
import { cellText, toCells } from '../sheet-writes';
import { ChangedMeanwhileError, DEFAULT_DIALECT, detectDialect, formatCsv, parseCsv, writeFileAtomic, type CsvDialect } from './csv-file';
import { guard, unguard } from './formula-guard';

/** A tab's rows as the store hands them out, the dialect to write it back in, and the file's text as read. */
interface LoadedTab {
  rows: string[][];
  dialect: CsvDialect;
  text: string;
}

/** The folder is the trader's alone: the journal beside it holds the account's history. */
const DIR_MODE = 0o700;
/** How often a write is made again when the file changed between its read and its rename. */
const MERGE_TRIES = 5;

/** Drops trailing empty cells and rows, as the Sheets API does, so both stores read alike. */
function trim(rows: string[][]): string[][] {
  const out = rows.map((r) => {
    const row = [...r];
    while (row.length && row[row.length - 1] === '') row.pop();
    return row;
  });
  while (out.length && out[out.length - 1].length === 0) out.pop();
  return out;
}

/**
 * SheetStore on CSV files. Writes are atomic (temp file + rename) and run one
 * at a time within the process; use one instance per folder. A write re-reads
 * the file first and applies its cells by row identity (`domain/row-identity`):
 * a row written as row 5 of the copy the bot last read goes to wherever that
 * row is now, so rows the trader added, moved or deleted in a spreadsheet
 * program meanwhile are kept as the trader left them. Should the file change
 * again between that read and the rename, the write starts over. A trader's
 * program that saves a copy it read before our write can still undo that
 * write: CSV has no lock.
 */
export class LocalSheetStore implements SheetStore {
  readonly kind = 'local' as const;
  readonly location: string;
  private queue: Promise<unknown> = Promise.resolve();
  /** Each tab as the bot last read or wrote it: the copy that a write's row numbers refer to. */
  private readonly seen = new Map<string, string[][]>();

  private constructor(dir: string) {
    this.location = dir;
  }

  /** Opens (creating) the folder; writes `seed` as its tab when that tab's file does not exist yet. */
  static async open(dir: string, seed?: { tab: string; rows: string[][] }): Promise<LocalSheetStore> {
    const store = new LocalSheetStore(resolve(dir));
    await mkdir(store.location, { recursive: true, mode: DIR_MODE });
    if (seed) {
      const file = store.fileOf(seed.tab);
      const exists = await stat(file).then(
        () => true,
        () => false,
      );
      if (!exists) await store.exclusive(() => store.save(seed.tab, seed.rows, DEFAULT_DIALECT));
    }
    return store;
  }

  /** The store on a folder that must already exist (a tool that only looks creates nothing); NotFoundError otherwise. */
  static async existing(dir: string): Promise<LocalSheetStore> {
    const store = new LocalSheetStore(resolve(dir));
    const isDir = await stat(store.location).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) throw new NotFoundError(`no sheet folder at ${store.location}: is DATA_DIR the service's?`);
    return store;
  }

  /** The CSV file that holds `tab`. */
  fileOf(tab: string): string {
    // The name becomes a file name: no paths, no hidden files, no control characters.
    if (!tab || /[/\\\0-\x1f]/.test(tab) || tab.startsWith('.')) {
      throw new RejectedError(`"${tab}" cannot be a tab name in local mode (it must be a plain file name).`);
    }
    return join(this.location, `${tab}.csv`);
  }

  async readTab(tab: string): Promise<string[][]> {
    const { rows } = await this.load(tab);
    this.seen.set(
      tab,
      rows.map((r) => [...r]),
    );
    return rows;
  }

  /** CSV has no types: the text, which sizes then read strictly as US-style dollars. */
  async readValues(tab: string): Promise<string[][]> {
    return this.readTab(tab);
  }

  async writeCells(batch: SheetWrite[]): Promise<void> {
    const writes = toCells(batch);
    if (writes.length === 0) return;
    for (const w of writes) {
      if (!Number.isInteger(w.row) || w.row < 1 || !Number.isInteger(w.column) || w.column < 1) {
        throw new RangeError(`cell (${w.row}, ${w.column}) in "${w.tab}" is not a 1-based row and column`);
      }
    }
    await this.exclusive(async () => {
      const tabs = [...new Set(writes.map((w) => w.tab))];
      // Load every tab first: a missing one fails the whole batch before anything is written.
      for (const tab of tabs) await this.load(tab);
      for (const tab of tabs)
        await this.merge(
          tab,
          writes.filter((w) => w.tab === tab),
        );
    });
  }

  /**
   * Applies one tab's cells to the file as it is now, each in the row that has
   * the identity its row had in the copy the bot last saw; a cell whose row the
   * trader deleted is dropped. Starts over when the file changes before the rename.
   */
  private async merge(tab: string, writes: ReturnType<typeof toCells>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(tab);
      const rows = current.rows.map((r) => [...r]);
      const place = rowMapper(this.seen.get(tab) ?? current.rows, current.rows);
      for (const w of writes) {
        const index = place(w.row - 1);
        if (index === undefined) continue;
        while (rows.length <= index) rows.push([]);
        const row = rows[index];
        while (row.length < w.column) row.push('');
        row[w.column - 1] = cellText(w.value);
      }
      try {
        await this.save(tab, rows, current.dialect, current.text);
        this.seen.set(tab, trim(rows));
        return;
      } catch (err) {
        if (!(err instanceof ChangedMeanwhileError) || attempt >= MERGE_TRIES) throw err;
      }
    }
  }

  async ensureTab(tab: string): Promise<boolean> {
    const file = this.fileOf(tab);
    return this.exclusive(async () => {
      if (
        await stat(file).then(
          () => true,
          () => false,
        )
      )
        return false;
      await this.save(tab, [], DEFAULT_DIALECT);
      this.seen.set(tab, []);
      return true;
    });
  }

  async replaceTab(tab: string, rows: string[][]): Promise<void> {
    await this.exclusive(async () => {
      const dialect = await this.load(tab).then(
        (t) => t.dialect,
        () => DEFAULT_DIALECT, // missing or unreadable: it is being replaced anyway
      );
      await this.save(tab, rows, dialect);
      this.seen.set(tab, trim(rows));
    });
  }

  private async load(tab: string): Promise<LoadedTab> {
    const file = this.fileOf(tab);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError(`Tab "${tab}" not found: ${file} does not exist.`);
      }
      throw fsError(err, `read ${file}`);
    }
    const dialect = detectDialect(text);
    return { rows: trim(parseCsv(text, file, dialect).map((r) => r.map(unguard))), dialect, text };
  }

  /** Writes the rows; with `expected`, only while the file still holds that text (else ChangedMeanwhileError). */
  private async save(tab: string, rows: string[][], dialect: CsvDialect, expected?: string): Promise<void> {
    const file = this.fileOf(tab);
    // Every row as wide as the widest (the header): some programs drop or misalign short rows.
    const width = Math.max(0, ...rows.map((r) => r.length));
    const full = rows.map((r) => Array.from({ length: width }, (_, i) => guard(r[i] ?? '')));
    try {
      await writeFileAtomic(file, formatCsv(full, dialect), expected);
    } catch (err) {
      if (err instanceof ChangedMeanwhileError) throw err;
      throw fsError(err, `write ${file}`);
    }
  }

  /** Runs `fn` after every earlier write has finished, so read-modify-write cycles never interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** File-system failures that pass (a lock held by a spreadsheet program, a full disk) are worth retrying. */
function fsError(err: unknown, what: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code && ['EBUSY', 'EPERM', 'EAGAIN', 'EMFILE', 'ENFILE', 'ENOSPC'].includes(code)) {
    return new TemporaryError(`Could not ${what} (${code}); is the file open in a spreadsheet program?`, undefined, { cause: err });
  }
  if (code === 'EACCES' || code === 'EROFS') {
    return new RejectedError(`Could not ${what} (${code}): check the folder's permissions.`, undefined, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}
