/**
 * Runs `src/main.ts` as a real child process, the way systemd runs the
 * service, so a test can SIGKILL it mid-flip or SIGTERM it and read its exit;
 * and the other entry points (the doctor, sheet:init) as an operator runs them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Env } from '../../src/settings';

/** The project folder (holding package.json), whether this runs from tests/ or from dist/tests/. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}
const ROOT = projectRoot();

/** A started server process. */
export interface ChildServer {
  url: string;
  pid: number;
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts the server with exactly `env` (plus PATH), port 0, and waits until it
 * listens. `compiled` runs dist/src/main.js (as systemd does) instead of the
 * sources; `nodeArgs` go to node before the script (V8 flags NODE_OPTIONS refuses).
 */
export async function startChildServer(env: Env, timeoutMs = 20_000, compiled = false, nodeArgs: string[] = []): Promise<ChildServer> {
  const child = spawnServer({ ...env, PORT: '0' }, compiled, nodeArgs);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const port = await new Promise<number>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /"event":"server.started","port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => rej(new Error(`server exited during start-up:\n${out}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, output: () => out, exited, kill: (s) => void child.kill(s) };
}

/** Spawns the server process with exactly `env` (plus PATH), from the sources or from dist/. */
function spawnServer(env: Env, compiled: boolean, nodeArgs: string[] = []): ChildProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'child-cwd-'));
  const args = compiled ? [join(ROOT, 'dist/src/main.js')] : ['-r', join(ROOT, 'tests/support/ts-register.js'), join(ROOT, 'src/main.ts')];
  return spawn(process.execPath, [...nodeArgs, ...args], {
    cwd,
    env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules'), PORT: '0', ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs the server with `env` (PORT as given, else 0) expecting it to stop
 * during start-up; resolves with its exit code and output. A server that
 * starts instead is stopped, and its exit code is what it exits with.
 */
export function failedStart(env: Env, timeoutMs = 20_000): Promise<{ code: number | null; out: string; started: boolean }> {
  const child = spawnServer(env, false);
  let out = '';
  let started = false;
  child.stdout!.on('data', (d) => {
    out += d;
    if (!started && out.includes('"event":"server.started"')) {
      started = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr!.on('data', (d) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((res) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      res({ code, out, started });
    }),
  );
}

/** A finished run of an entry point: its exit code (null when killed by a signal) and all it wrote, stdout and stderr as they came. */
export interface EntryRun {
  code: number | null;
  out: string;
}

/**
 * Runs one of the project's entry points from the sources (`src/doctor.ts`,
 * `src/sheet-init.ts`, `src/main.ts`) as a real process in `cwd`, with
 * exactly `env` (plus PATH and NODE_PATH); resolves once it exits.
 */
export function runEntry(entry: string, args: string[], options: { cwd: string; env?: Env }): Promise<EntryRun> {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'tests/support/ts-register.js'), join(ROOT, entry), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules'), ...options.env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((res) => child.once('exit', (code) => res({ code, out })));
}

/** Writes `settings` as `KEY=value` lines to `file` with `mode` (an operator's env file is 0600); answers the path. */
export function writeEnvFile(file: string, settings: Env, mode = 0o600): string {
  writeFileSync(
    file,
    Object.entries(settings)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
    { mode },
  );
  return file;
}
