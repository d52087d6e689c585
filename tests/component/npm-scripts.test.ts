/**
 * The npm scripts exactly as the README types them: stdout holds the
 * command's own output and nothing of npm's, so it can be piped. They run the
 * compiled code (dist/, made by `npm run setup` or `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function npmRun(args: string[], env: NodeJS.ProcessEnv = {}): { stdout: string; stderr: string; code: number | null } {
  const run = spawnSync('npm', ['run', ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), ...env },
  });
  return { stdout: run.stdout, stderr: run.stderr, code: run.status };
}

describe('npm scripts', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'analytics', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (or `npm run setup`) first');
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'npm-scripts-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when `npm run analytics -- --json` is piped, then stdout is one JSON document with sharpe, and no npm header', () => {
    const { stdout, code } = npmRun(['analytics', '--', '--json'], { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/^> trading-bot@/m);
    expect(JSON.parse(stdout)).toHaveProperty('sharpe');
  });

  it('when `npm run doctor -- --help` is run, then it prints the usage, and only that', () => {
    const { stdout, code } = npmRun(['doctor', '--', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run doctor/);
  });
});
