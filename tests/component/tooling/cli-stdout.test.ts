/**
 * The two report commands as real processes, stdout piped: `--json` must
 * print one JSON document and nothing else (no progress, no colour, no
 * banner), so `npm run -s profit -- --json | jq` and
 * `npm run -s analytics -- --json > metrics.json` work. Local mode, on a
 * journal the server made (profit only reads one; it never creates it).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '../../../src/shared/clock';
import { loadSettings } from '../../../src/settings';
import { openAdapters } from '../../../src/wiring';

const run = promisify(execFile);
const REGISTER = join(__dirname, '../../support/ts-register.js');
let dataDir: string;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cli-stdout-'));
  // The journal as the server leaves it at its first start.
  (await openAdapters(loadSettings({ DATA_DIR: dataDir }), systemClock)).close();
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs a CLI entry file under node with only DATA_DIR set (local mode) and stdout piped. */
function cli(entry: string, args: string[]) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir };
  return run(process.execPath, ['-r', REGISTER, join(__dirname, '../../../analytics', entry), ...args], {
    env,
    cwd: dataDir,
    timeout: 30_000,
  });
}

describe('--json on a pipe', () => {
  it('when profit runs with --json, then stdout is exactly one JSON document', async () => {
    const { stdout, stderr } = await cli('profit/cli.ts', ['--json']);
    expect(stdout.trimEnd().startsWith('{')).toBe(true);
    expect(JSON.parse(stdout)).toMatchObject({ mode: 'local', positions: [] });
    expect(stdout).not.toContain('\x1b[');
    expect(stderr).toBe('');
  });

  it('when profit runs without --json on a pipe, then the page is plain text', async () => {
    const { stdout } = await cli('profit/cli.ts', []);
    expect(stdout).toMatch(/^Account \(local\)/);
    expect(stdout).not.toContain('\x1b[');
  });

  it('when analytics runs with --json, then stdout is exactly one JSON document and progress went to stderr', async () => {
    const { stdout, stderr } = await cli('cli.ts', ['--json', '--no-charts']);
    expect(JSON.parse(stdout)).toMatchObject({ mode: 'local', short_window: true });
    expect(stderr).toContain('fetching');
  });
});
