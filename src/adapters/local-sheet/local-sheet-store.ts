/**
 * The embedded sheet for local mode: one CSV file per tab in a folder
 * (`<DATA_DIR>/sheet/Config.csv`, `Performance.csv`), with the same tabs and
 * columns as the Google Sheet, editable in any spreadsheet program.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NotFoundError, RejectedError, TemporaryError } from '../../domain/errors';
import type { SheetStore, SheetWrite } from '../../ports';
import { toCells } from '../sheet-writes';
import { DEFAULT_DIALECT, detectDialect, formatCsv, parseCsv, writeFileAtomic, type CsvDialect } from './csv-file';
import { guard, unguard } from './formula-guard';

/** A tab's rows as the store hands them out, and the dialect to write it back in. */
interface LoadedTab {
  rows: string[][];
  dialect: CsvDialect;
}

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
 * at a time within the process; use one instance per folder. A trader saving
 * the same file at the same moment can still overwrite our last write (or we
 * theirs): CSV has no merge.
 */
export class LocalSheetStore implements SheetStore {
  readonly kind = 'local' as const;
  readonly location: string;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string) {
    this.location = dir;
  }

  /** Opens (creating) the folder; writes `seed` as its tab when that tab's file does not exist yet. */
  static async open(dir: string, seed?: { tab: string; rows: string[][] }): Promise<LocalSheetStore> {
    const store = new LocalSheetStore(resolve(dir));
    await mkdir(store.location, { recursive: true });
    if (seed) {
      const file = store.fileOf(seed.tab);
      const exists = await stat(file).then(() => true, () => false);
      if (!exists) await store.exclusive(() => store.save(seed.tab, seed.rows, DEFAULT_DIALECT));
    }
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
    return (await this.load(tab)).rows;
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
      const tabs = new Map<string, LoadedTab>();
      // Load every tab first: a missing one fails the whole batch before anything is written.
      for (const w of writes) if (!tabs.has(w.tab)) tabs.set(w.tab, await this.load(w.tab));
      for (const w of writes) {
        const { rows } = tabs.get(w.tab)!;
        while (rows.length < w.row) rows.push([]);
        const row = rows[w.row - 1];
        while (row.length < w.column) row.push('');
        row[w.column - 1] = w.value;
      }
      for (const [tab, { rows, dialect }] of tabs) await this.save(tab, rows, dialect);
    });
  }

  async ensureTab(tab: string): Promise<boolean> {
    const file = this.fileOf(tab);
    return this.exclusive(async () => {
      if (await stat(file).then(() => true, () => false)) return false;
      await this.save(tab, [], DEFAULT_DIALECT);
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
    return { rows: trim(parseCsv(text, file, dialect).map((r) => r.map(unguard))), dialect };
  }

  private async save(tab: string, rows: string[][], dialect: CsvDialect): Promise<void> {
    const file = this.fileOf(tab);
    // Every row as wide as the widest (the header): some programs drop or misalign short rows.
    const width = Math.max(0, ...rows.map((r) => r.length));
    const full = rows.map((r) => Array.from({ length: width }, (_, i) => guard(r[i] ?? '')));
    try {
      await writeFileAtomic(file, formatCsv(full, dialect));
    } catch (err) {
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
