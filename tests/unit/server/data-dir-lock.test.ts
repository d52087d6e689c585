/** One server per data folder: the lock file, its holder, and locks left behind. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../../src/data-dir-lock';

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lock-'));
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const file = () => join(dir, LOCK_FILE);
/** A live process other than this one, started now. */
async function liveProcess(): Promise<number> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((r) => child.once('spawn', r));
  return child.pid!;
}
/** A pid whose process has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true', [], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('the data folder lock', () => {
  it('when the folder is free, then the lock file holds the pid; release removes it, and a second release does nothing', () => {
    const lock = lockDataDir(dir, 4242);
    expect(readFileSync(file(), 'utf8')).toBe('4242\n');
    lock.release();
    expect(existsSync(file())).toBe(false);
    lock.release();
  });

  it('when a live process holds it, then the error names that pid and the folder, and the file is left as it was', async () => {
    const holder = await liveProcess();
    writeFileSync(file(), `${holder}\n`);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`DATA_DIR ${dir} is in use by process ${holder}`);
    expect(readFileSync(file(), 'utf8')).toBe(`${holder}\n`);
  });

  it('when the file names a process that has exited, then it is taken over', async () => {
    writeFileSync(file(), `${await deadPid()}\n`);
    const lock = lockDataDir(dir, 4242);
    expect(readFileSync(file(), 'utf8')).toBe('4242\n');
    lock.release();
  });

  it('when the pid in the file now belongs to a process started after the file was written, then it is taken over', async () => {
    const reused = await liveProcess();
    writeFileSync(file(), `${reused}\n`);
    utimesSync(file(), new Date('2001-01-01'), new Date('2001-01-01')); // written long before that process started
    const lock = lockDataDir(dir, 4242);
    expect(readFileSync(file(), 'utf8')).toBe('4242\n');
    lock.release();
  });

  it('when the file is empty or unreadable as a pid, then it is taken over', () => {
    writeFileSync(file(), 'garbage');
    lockDataDir(dir, 4242).release();
    expect(existsSync(file())).toBe(false);
  });

  it('when this process already holds the folder, then a second lock is refused until the first is released', () => {
    const first = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(`is in use by process ${process.pid}`);
    first.release();
    lockDataDir(dir).release();
  });

  it('when another process took the folder over after this one was given up for dead, then releasing leaves its lock alone', () => {
    const lock = lockDataDir(dir, 4242);
    writeFileSync(file(), '5353\n');
    lock.release();
    expect(readFileSync(file(), 'utf8')).toBe('5353\n');
  });
});
