/**
 * One tab as one CSV file: parsing what spreadsheet programs save (BOM, CRLF,
 * `;` in locales where `,` is the decimal mark), writing it back in the same
 * dialect, and replacing the file atomically.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { RejectedError } from '../../domain/errors';

/** How a file is written, kept from the file we read so the trader's program still opens it the same way. */
export interface CsvDialect {
  /** A UTF-8 byte-order mark; Excel needs it to read UTF-8 (else it assumes the ANSI code page). */
  bom: boolean;
  delimiter: ',' | ';';
  eol: '\r\n' | '\n';
}

/** For new files: what Excel itself writes as "CSV UTF-8" (RFC 4180 line ends). */
export const DEFAULT_DIALECT: CsvDialect = { bom: true, delimiter: ',', eol: '\r\n' };

const BOM = '\uFEFF';

/** The dialect of `text`, judged from the BOM and the first line. */
export function detectDialect(text: string): CsvDialect {
  const bom = text.startsWith(BOM);
  const firstEnd = text.indexOf('\n');
  const eol = firstEnd > 0 && text[firstEnd - 1] === '\r' ? '\r\n' : firstEnd < 0 ? DEFAULT_DIALECT.eol : '\n';
  const header = text.slice(bom ? 1 : 0, firstEnd < 0 ? undefined : firstEnd);
  const count = (ch: string) => header.split(ch).length - 1;
  return { bom, delimiter: count(';') > count(',') ? ';' : ',', eol };
}

/** The rows of a CSV text; RejectedError naming the file and line when it is not valid CSV. */
export function parseCsv(text: string, file: string, dialect: CsvDialect): string[][] {
  try {
    return parse(text, {
      bom: true,
      delimiter: dialect.delimiter,
      relax_column_count: true,
      // A hand-edited file may carry a stray quote inside a field; keep it as text.
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (err) {
    throw new RejectedError(`${file} is not valid CSV: ${(err as Error).message}. Fix it in a spreadsheet program or text editor.`);
  }
}

/** The CSV text for `rows` in `dialect`. */
export function formatCsv(rows: string[][], dialect: CsvDialect): string {
  const body = stringify(rows, {
    delimiter: dialect.delimiter,
    record_delimiter: dialect.eol === '\r\n' ? 'windows' : 'unix',
  });
  return (dialect.bom ? BOM : '') + body;
}

/** The file no longer holds what the write was based on: someone saved it in between. */
export class ChangedMeanwhileError extends Error {}

/** A new tab's file is the trader's alone (it may hold positions and order ids); an existing one keeps its mode. */
const NEW_FILE_MODE = 0o600;

/**
 * Replaces `file` with `text` so that a reader sees the old file or the new
 * one, never a part: write a temp file in the same folder, fsync it, rename it
 * over the old one, then fsync the folder so the rename survives a power cut.
 * With `expected`, the file must still hold exactly that text just before the
 * rename, else nothing is replaced and ChangedMeanwhileError is thrown.
 */
export async function writeFileAtomic(file: string, text: string, expected?: string): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const mode = await stat(file).then(
    (s) => s.mode & 0o777,
    () => NEW_FILE_MODE,
  );
  const handle = await open(tmp, 'w', mode);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (expected !== undefined && (await readFile(file, 'utf8').catch(() => undefined)) !== expected) {
      throw new ChangedMeanwhileError(`${file} changed while it was being written`);
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}
