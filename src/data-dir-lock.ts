/**
 * One server per data folder. Two servers on the same journal would each
 * plan from books the other is changing (and a second one that fails to
 * start could still rewrite them), so the server holds `DATA_DIR/trading-bot.pid`,
 * created exclusively and holding its pid, for as long as it runs. The
 * doctor and the report CLIs only read the folder and take no lock.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The lock file's name inside DATA_DIR. */
export const LOCK_FILE = 'trading-bot.pid';

/** Another live process holds the data folder. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by process ${holder} (lock file ${join(dataDir, LOCK_FILE)}). ` +
        `Only one trading-bot may run on a data folder: stop process ${holder} first, or give this one another DATA_DIR.`,
    );
  }
}

/** A held data folder. */
export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still this process's; safe to call more than once. */
  release(): void;
}

/** Folders this process holds, so a second server in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * Takes the data folder for process `pid`, or throws DataDirLockedError
 * naming the live process that holds it. A lock left by a process that is no
 * longer alive (a crash, a SIGKILL) is taken over, and so is one whose pid now
 * belongs to a process started after the lock was written (pids are reused,
 * e.g. after a reboot).
 */
export function lockDataDir(dataDir: string, pid: number = process.pid): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  if (heldHere.has(file)) throw new DataDirLockedError(dataDir, pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, pid)) {
      // Two processes taking over the same stale file at once: the one whose pid is not in the file steps back.
      const holder = holderOf(file);
      if (holder !== pid) throw new DataDirLockedError(dataDir, holder ?? NaN);
      heldHere.add(file);
      return lockFor(file, pid);
    }
    const holder = holderOf(file);
    // Our own pid in the file is a leftover of an earlier process (pids repeat, e.g. in a container), never a live holder.
    if (holder !== undefined && holder !== pid && isAlive(holder) && !startedAfter(holder, file))
      throw new DataDirLockedError(dataDir, holder);
    removeIfUnchanged(file, holder);
  }
  throw new Error(`could not take the lock file ${file}: it keeps changing; is another trading-bot starting on ${dataDir}?`);
}

function lockFor(file: string, pid: number): DataDirLock {
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      // Never remove a lock another process has taken since (after this one was given up for stale).
      if (holderOf(file) === pid) removeIfUnchanged(file, pid);
    },
  };
}

/** Creates `file` holding `pid` only if it does not exist; false when it does. */
function createExclusive(file: string, pid: number): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The pid in the lock file; undefined when it is gone, empty or unreadable. */
function holderOf(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** True while a process with this pid exists (EPERM: it exists, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux's USER_HZ: /proc reports process start times in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * True when process `pid` started after `file` was last written, so it can't
 * be the process that wrote it. False when that can't be told (no /proc, or
 * the process is hidden from us): then the pid is taken at its word.
 */
function startedAfter(pid: number, file: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses); the start time is field 22.
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    const startedMs = (bootSeconds + startTicks / TICKS_PER_SECOND) * 1000;
    // The boot time is in whole seconds: allow one second either way.
    return Number.isFinite(startedMs) && startedMs > statSync(file).mtimeMs + 1_000;
  } catch {
    return false;
  }
}

/** Deletes the lock file if it still names `holder`, so a lock just taken by another process is left alone. */
function removeIfUnchanged(file: string, holder: number | undefined): void {
  if (holderOf(file) !== holder) return;
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
