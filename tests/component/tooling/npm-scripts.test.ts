/**
 * The npm scripts exactly as the README types them: npm's own messages stay
 * visible (a misspelt script says so, `npm run` lists the scripts), and
 * `npm run -s` keeps stdout to the command's own output, so it can be piped.
 * They run the compiled code (dist/, made by `npm run setup` or `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

function npmRun(args: string[], env: NodeJS.ProcessEnv = {}): { stdout: string; stderr: string; code: number | null } {
  const run = spawnSync('npm', ['run', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), ...env },
  });
  return { stdout: run.stdout, stderr: run.stderr, code: run.status };
}

describe('npm scripts', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'analytics', 'cli.js')))
      throw new Error('dist/ is missing: run `npm run build` (or `npm run setup`) first');
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'npm-scripts-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when `npm run -s analytics -- --json` is piped, then stdout is one JSON document with sharpe, and no npm header', () => {
    const { stdout, code } = npmRun(['-s', 'analytics', '--', '--json'], { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/^> trading-bot@/m);
    expect(JSON.parse(stdout)).toHaveProperty('sharpe');
  });

  it('when `npm run doctor -- --help` is run without -s, then npm says what it runs and the usage follows', () => {
    const { stdout, code } = npmRun(['doctor', '--', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^> trading-bot@[\d.]+ doctor$/m);
    expect(stdout).toMatch(/^Usage: npm run doctor/m);
    expect(npmRun(['-s', 'doctor', '--', '--help']).stdout).toMatch(/^Usage: npm run doctor/);
  });

  it('when a script name is misspelt, then npm says it is missing and exits 1', () => {
    const { stderr, code } = npmRun(['sheet-init']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Missing script: "sheet-init"/);
  });

  it('when `npm run` is given no script, then it lists the scripts, as the README says', () => {
    const { stdout, code } = npmRun([]);
    expect(code).toBe(0);
    for (const script of ['setup', 'start', 'test', 'analytics', 'profit', 'doctor', 'sheet:init'])
      expect(stdout).toMatch(new RegExp(`^  ${script}$`, 'm'));
  });
});
