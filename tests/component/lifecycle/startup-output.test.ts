/**
 * The server's own process output, as systemd and a new user see it: the
 * banner, journald priorities, and settings errors. Runs `src/main.ts` as a
 * real child process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeAlpaca, type FakeAlpaca } from '../../fakes/fake-alpaca';
import { alpacaEnv } from '../../support/alpaca-broker';
import { type ChildServer, type EntryRun, runEntry, startChildServer } from '../../support/child-server';
import { API_TOKEN, SECRET } from '../../support/stack';

const ROOT = resolve(__dirname, '..', '..', '..');
let dir: string;
let child: ChildServer | undefined;
let alpaca: FakeAlpaca | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'startup-'));
});
afterEach(async () => {
  if (child) {
    child.kill('SIGTERM');
    await child.exited;
  }
  child = undefined;
  await alpaca?.close();
  alpaca = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the server with `env` expecting it to stop at start-up; resolves with the exit code and output. */
function failedStart(env: Record<string, string>): Promise<EntryRun> {
  return runEntry('src/main.ts', [], { cwd: dir, env: { DATA_DIR: join(dir, 'data'), ...env } });
}

describe('start-up output', () => {
  it('when run under systemd (JOURNAL_STREAM set), then every line, banner included, starts with its syslog priority', async () => {
    child = await startChildServer({ DATA_DIR: join(dir, 'data'), JOURNAL_STREAM: '8:12345' });
    await fetch(`${child.url}/webhook`, {
      method: 'POST',
      body: '{"action":"BUY","symbol":"AAPL","timeframe":"15","secret":"wrong-secret-xx"}',
    });
    await new Promise((r) => setTimeout(r, 200));
    const lines = child
      .output()
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatch(/^<[3467]>/);
    expect(lines.find((l) => l.includes('"event":"server.started"'))).toMatch(/^<6>\{"t"/);
    expect(lines.find((l) => l.includes('"event":"webhook.rejected"'))).toMatch(/^<4>\{/);
    expect(lines.find((l) => l.includes('LOCAL mode'))).toMatch(/^<6> /);
  });

  it('when installed as the systemd unit, then its output is tagged trading-bot and read with priorities', () => {
    const unit = readFileSync(join(ROOT, 'systemd', 'trading-bot.service'), 'utf8');
    expect(unit).toMatch(/^SyslogIdentifier=trading-bot$/m);
    expect(unit).not.toMatch(/^SyslogLevelPrefix=no$/m);
    expect(readFileSync(join(ROOT, 'cheatsheet.md'), 'utf8')).toContain('journalctl -u trading-bot -p warning');
  });

  it('when run without systemd, then lines carry no priority prefix', async () => {
    child = await startChildServer({ DATA_DIR: join(dir, 'data') });
    expect(child.output()).toMatch(/^\{"t"/m);
    expect(child.output()).not.toMatch(/^<\d>/m);
  });

  it(
    'when Alpaca is configured with the local CSV sheet, then the banner ' +
      'shows neither secret nor token and says nothing of local or no real money',
    async () => {
      alpaca = await startFakeAlpaca();
      child = await startChildServer({
        DATA_DIR: join(dir, 'data'),
        WEBHOOK_SECRET: SECRET,
        API_TOKEN,
        ...alpacaEnv(alpaca),
      });
      await new Promise((r) => setTimeout(r, 200));
      const out = child.output();
      expect(out).toMatch(/Alpaca PAPER/);
      expect(out).not.toMatch(/local mode|no real money/i);
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain(API_TOKEN);
      expect(out).not.toContain(alpaca.secretKey);
      expect(out).toContain(join(dir, 'data', 'sheet', 'Config.csv'));
    },
  );

  it(
    "when APCA_API_BASE_URL is Alpaca's live host and ALPACA_PAPER is left at " +
      'true, then start-up stops naming both, with every other wrong setting too',
    async () => {
      const { code, out } = await failedStart({
        WEBHOOK_SECRET: SECRET,
        API_TOKEN: 'short',
        APCA_API_KEY_ID: 'PK1',
        APCA_API_SECRET_KEY: 'sk-1234567890',
        APCA_API_BASE_URL: 'https://api.alpaca.markets',
        PORT: 'http',
        JOURNAL_STREAM: '8:1',
      });
      expect(code).toBe(1);
      expect(out).toMatch(/^<3>Settings error: 3 settings need fixing:/m);
      expect(out).toMatch(/^<3>  - APCA_API_BASE_URL=https:\/\/api\.alpaca\.markets is Alpaca's LIVE .* ALPACA_PAPER=true/m);
      expect(out).toMatch(/^<3>  - PORT=/m);
      expect(out).toMatch(/^<3>  - API_TOKEN is shorter/m);
      expect(out).not.toContain('sk-1234567890');
    },
  );
});
