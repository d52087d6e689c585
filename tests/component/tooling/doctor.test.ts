/** `npm run doctor` as a real process: a configured machine (the fakes), local mode, and the failures it must name. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAlpaca, type FakeAlpaca } from '../../fakes/fake-alpaca';
import { alpacaEnv } from '../../support/alpaca-broker';
import { startFakeSheets, type FakeSheets } from '../../fakes/fake-sheets';
import { type EntryRun, runEntry, writeEnvFile } from '../../support/child-server';
import { createServiceAccount, type TestServiceAccount } from '../../support/service-account';
import { API_TOKEN, DEFAULT_CONFIG, SECRET, SHEET_ID } from '../../support/stack';
import { systemClock } from '../../../src/shared/clock';
import { EXAMPLE_CONFIG } from '../../../src/local-mode';
import { loadSettings } from '../../../src/settings';
import { openAdapters } from '../../../src/wiring';

let alpaca: FakeAlpaca;
let sheets: FakeSheets;
let account: TestServiceAccount;
let dir: string;

beforeAll(async () => {
  account = createServiceAccount();
  alpaca = await startFakeAlpaca();
  sheets = await startFakeSheets({
    spreadsheetId: SHEET_ID,
    serviceAccountEmail: account.email,
    publicKeyPem: account.publicKeyPem,
    tabs: { Config: DEFAULT_CONFIG },
  });
});
afterAll(async () => {
  await Promise.all([alpaca.close(), sheets.close()]);
  account.cleanup();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes an env file with `settings` (mode `mode`) and runs the doctor on it; resolves with its exit code and output. */
function doctor(settings: Record<string, string>, mode = 0o600, args?: string[]): Promise<EntryRun> {
  const envFile = writeEnvFile(join(dir, 'env'), settings, mode);
  return runEntry('src/doctor.ts', args ?? ['--env-file', envFile], { cwd: dir });
}

const configured = () => ({
  WEBHOOK_SECRET: SECRET,
  API_TOKEN,
  DATA_DIR: join(dir, 'data'),
  ...alpacaEnv(alpaca),
  GOOGLE_SHEET_ID: SHEET_ID,
  GOOGLE_APPLICATION_CREDENTIALS: account.keyFile,
  GOOGLE_SHEETS_ROOT_URL: sheets.url,
  MAX_POSITION_USD: '10000',
  MAX_DAILY_LOSS_PCT: '3',
});
/** What the service leaves under DATA_DIR once it has started: its journal (and, in local mode, the CSV sheet). */
async function serviceStarted(settings: Record<string, string>): Promise<void> {
  (await openAdapters(loadSettings(settings), systemClock, EXAMPLE_CONFIG)).close();
}
const line = (out: string, name: string) =>
  out.split('\n').find((l) => new RegExp(`^\\s+(PASS|WARN|FAIL)\\s+${name}\\b`).test(l)) ?? `(no ${name} line)`;

describe('npm run doctor', () => {
  it('when the machine is configured, then every check passes, and nothing is traded or changed', async () => {
    await serviceStarted(configured());
    const before = sheets.tab('Config');
    const { code, out } = await doctor(configured());
    expect(out).not.toMatch(/FAIL/);
    expect(code).toBe(0);
    expect(line(out, 'journal')).toMatch(/PASS.*trading-bot\.db opened read-only/);
    for (const name of [
      'env file',
      'settings',
      'google key file',
      'journal',
      'data dir',
      'sheet',
      'sheet write',
      'broker',
      'market clock',
      'kill switch',
    ]) {
      expect(line(out, name)).toMatch(/^\s+PASS/);
    }
    expect(line(out, 'broker')).toContain('paper account ACTIVE, equity $100000.00');
    expect(line(out, 'sheet')).toContain('4 rows, 3 active');
    expect(alpaca.orders).toHaveLength(0);
    expect(alpaca.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
    expect(sheets.tab('Config')).toEqual(before);
    expect(sheets.formulasWritten()).toEqual([]);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(API_TOKEN);
  }, 60_000);

  it("when DATA_DIR holds no journal (not the service's folder), then it fails saying so, and creates nothing", async () => {
    const { code, out } = await doctor(configured());
    expect(code).toBe(1);
    expect(line(out, 'journal')).toContain(`FAIL  journal`);
    expect(line(out, 'journal')).toContain(`no journal at ${join(dir, 'data', 'trading-bot.db')}: is DATA_DIR the service's?`);
    expect(out).not.toMatch(/^\s+PASS\s+data dir/m);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['env']);
  }, 60_000);

  it('when the env file can be read by others, then it fails and says to chmod 600', async () => {
    const { code, out } = await doctor(configured(), 0o644);
    expect(code).toBe(1);
    expect(line(out, 'env file')).toMatch(/FAIL.*0644.*chmod 600/);
  }, 60_000);

  it('when a setting is wrong, then it fails naming the variable, and stops there', async () => {
    const { API_TOKEN: _dropped, ...rest } = configured();
    const { code, out } = await doctor(rest);
    expect(code).toBe(1);
    expect(line(out, 'settings')).toMatch(/FAIL\s+settings\s+API_TOKEN is not set/);
    expect(out).not.toMatch(/\bbroker\b/);
  }, 60_000);

  it('when the Alpaca keys are wrong, then the broker check fails with the fix', async () => {
    await serviceStarted(configured());
    const { code, out } = await doctor({ ...configured(), APCA_API_SECRET_KEY: 'not-the-secret' });
    expect(code).toBe(1);
    expect(line(out, 'broker')).toMatch(/FAIL.*APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
  }, 60_000);

  it('when the sheet is not shared with the service account, then the sheet check fails', async () => {
    await serviceStarted(configured());
    sheets.setShared(false);
    try {
      const { code, out } = await doctor(configured());
      expect(code).toBe(1);
      expect(line(out, 'sheet')).toMatch(/^\s+FAIL/);
    } finally {
      sheets.setShared(true);
    }
  }, 60_000);

  it('when run in local mode, then it checks the paper broker and the CSV sheet and passes', async () => {
    await serviceStarted({ DATA_DIR: join(dir, 'data') });
    const { code, out } = await doctor({ DATA_DIR: join(dir, 'data') });
    expect(out).not.toMatch(/FAIL/);
    expect(code).toBe(0);
    expect(line(out, 'mode')).toContain('local');
    expect(line(out, 'broker')).toMatch(/PASS.*local account ACTIVE/);
    expect(line(out, 'sheet')).toMatch(/PASS.*local/);
  }, 60_000);

  it("when APCA_API_BASE_URL is Alpaca's live host but ALPACA_PAPER is true, then it fails naming both, as start-up does", async () => {
    const { code, out } = await doctor({ ...configured(), APCA_API_BASE_URL: 'https://api.alpaca.markets' });
    expect(code).toBe(1);
    expect(line(out, 'settings')).toMatch(/FAIL.*APCA_API_BASE_URL=https:\/\/api\.alpaca\.markets.*ALPACA_PAPER=true/);
    expect(out).not.toMatch(/Alpaca paper account/);
  }, 60_000);

  it('when several settings are wrong, then it lists every one', async () => {
    const { code, out } = await doctor({ ...configured(), PORT: 'x', OFF_HOURS_POLICY: 'never', API_TOKEN: 'short' });
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL\s+settings\s+3 settings need fixing/);
    for (const name of ['PORT', 'OFF_HOURS_POLICY', 'API_TOKEN']) expect(out).toMatch(new RegExp(`^\\s+- ${name}`, 'm'));
  }, 60_000);

  it('when asked for --help, then it prints the usage and checks nothing', async () => {
    const { code, out } = await doctor({}, 0o600, ['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: npm run doctor \[-- --env-file PATH\]/);
    expect(out).not.toMatch(/^\s+(PASS|FAIL) /m);
    const wrong = await doctor({}, 0o600, ['--verbose']);
    expect(wrong.code).toBe(2);
    expect(wrong.out).toContain('unknown argument: --verbose');
  }, 60_000);
});
