/**
 * `npm run profit` as a trader runs it: settings in, the page or the JSON
 * out, wired by the real composition root against the fake Alpaca (real SDK
 * over HTTP) and, in local mode, against the paper broker's SQLite book.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type ProfitIo } from '../../../analytics/profit/cli';
import { PaperBroker } from '../../../src/adapters/paper-broker/paper-broker';
import { openDatabase } from '../../../src/adapters/sqlite-journal/database';
import { systemClock } from '../../../src/shared/clock';
import { startFakeAlpaca, type FakeAlpaca } from '../../fakes/fake-alpaca';
import { alpacaEnv } from '../../support/alpaca-broker';

const DAY = 86_400_000;
const ago = (days: number, hour = 0) => new Date(Date.now() - days * DAY + hour * 3_600_000).toISOString();

let fake: FakeAlpaca;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fake = await startFakeAlpaca();
  fake.setAccount({ cash: 50_000, lastEquity: 50_000 });
  fake.setPrice('AAPL', 110);
  fake.setPosition('AAPL', 10, 100); // +$100, +10%
  fake.setPrice('TSLA', 180);
  fake.setPosition('TSLA', 5, 200); // -$100, -10%
  fake.setPrice('XYZ', 46);
  fake.setPosition('XYZ', -20, 50); // short: +$80, +8%
  fake.addFills([
    // Outside the 30-day window: must not count.
    { symbol: 'MSFT', side: 'buy', qty: 3, price: 1, time: ago(40) },
    { symbol: 'MSFT', side: 'sell', qty: 3, price: 2, time: ago(39) },
    // Inside: one win (+$60), one loss (-$20), one breakeven (+$0.004, neither).
    { symbol: 'MSFT', side: 'buy', qty: 10, price: 100, time: ago(5) },
    { symbol: 'MSFT', side: 'sell', qty: 10, price: 106, time: ago(4) },
    { symbol: 'NVDA', side: 'buy', qty: 4, price: 50, time: ago(3) },
    { symbol: 'NVDA', side: 'sell', qty: 4, price: 45, time: ago(2) },
    { symbol: 'AMD', side: 'buy', qty: 1, price: 10, time: ago(1) },
    { symbol: 'AMD', side: 'sell', qty: 1, price: 10.004, time: ago(1, 1) },
  ]);
});

afterAll(() => fake.close());

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'profit-cli-'));
  env = {
    ...alpacaEnv(fake),
    WEBHOOK_SECRET: 'a-long-enough-test-secret',
    API_TOKEN: 'another-long-enough-test-token-0123456789',
    DATA_DIR: dataDir,
    STATUS_TIMEZONE: 'America/New_York',
  };
});

afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(argv: string[], isTerminal = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: ProfitIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTerminal };
  const code = await main(argv, env, io);
  return { code, stdout, stderr };
}

describe('npm run profit against Alpaca', () => {
  it('when piped, then it prints the account, positions, best and worst, long vs short and realised P&L as plain text', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(readdirSync(dataDir)).toEqual([]); // Alpaca needs no journal, and none is made
    expect(stdout).not.toContain('\x1b[');
    expect(stdout).toMatch(/^Account \(paper\)  \d{4}-\d\d-\d\d \d\d:\d\d E[SD]T$/m);
    expect(stdout).toMatch(/^ {2}Equity +\$51,080\.00$/m);
    expect(stdout).toMatch(/^ {2}Cash +\$50,000\.00$/m);
    expect(stdout).toMatch(/^ {2}Buying power +\$48,160\.00$/m);
    expect(stdout).toMatch(/^ {2}Today's P&L +\+\$1,080\.00 \(\+2\.16%\)$/m);
    expect(stdout).toMatch(/^AAPL +long +10 +\$100\.00 +\$110\.00 +\$1,100\.00 +\+\$100\.00 +\+10\.00%$/m);
    expect(stdout).toMatch(/^XYZ +short +-20 +\$50\.00 +\$46\.00 +-\$920\.00 +\+\$80\.00 +\+8\.00%$/m);
    expect(stdout).toMatch(/^TSLA +long +5 +\$200\.00 +\$180\.00 +\$900\.00 +-\$100\.00 +-10\.00%$/m);
    expect(stdout).toMatch(/^Best +AAPL \+\$100\.00 \(\+10\.00%\)$/m);
    expect(stdout).toMatch(/^Worst +TSLA -\$100\.00 \(-10\.00%\)$/m);
    expect(stdout).toMatch(/^long +2 +\$2,000\.00 +\$0\.00$/m);
    expect(stdout).toMatch(/^short +1 +-\$920\.00 +\+\$80\.00$/m);
    expect(stdout).toMatch(/^Realised, last 30 days/m);
    expect(stdout).toMatch(/^ {2}Round trips +3 \(6 fills\)$/m);
    expect(stdout).toMatch(/^ {2}Win rate +33\.3% \(1 won, 1 lost\)$/m);
    expect(stdout).toMatch(/^ {2}Realised P&L +\+\$40\.00$/m);
  });

  it('when run with --json, then stdout is the same content as JSON alone', async () => {
    const { code, stdout, stderr } = await run(['--json'], true);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      mode: 'paper',
      account: {
        equity: 51_080,
        cash: 50_000,
        buying_power: 48_160,
        last_equity: 50_000,
        today_pnl: 1080,
        today_pnl_pct: expect.closeTo(0.0216, 12),
      },
      best_position: { symbol: 'AAPL', unrealized_pl: 100, unrealized_pl_pct: expect.closeTo(0.1, 12) },
      worst_position: { symbol: 'TSLA', unrealized_pl: -100 },
      long: { count: 2, market_value: 2000, unrealized_pl: 0 },
      short: { count: 1, market_value: -920, unrealized_pl: 80 },
      realized: {
        window_days: 30,
        fills: 6,
        trades: 3,
        wins: 1,
        losses: 1,
        win_rate: expect.closeTo(1 / 3, 12),
        realized_pnl: 40,
        best_trade: 60,
        worst_trade: -20,
      },
    });
    expect(json.positions.map((p: { symbol: string }) => p.symbol)).toEqual(['AAPL', 'XYZ', 'TSLA']);
  });

  it('when stdout is a terminal, then gains are green and losses red; NO_COLOR turns it off', async () => {
    const { stdout } = await run([], true);
    expect(stdout).toContain('\x1b[32m+$100.00');
    expect(stdout).toMatch(/\x1b\[31m *-\$100\.00/);
    env.NO_COLOR = '1';
    expect((await run([], true)).stdout).not.toContain('\x1b[');
  });

  it('when PERFORMANCE_WINDOW_DAYS reaches the older trades, then they count too', async () => {
    env.PERFORMANCE_WINDOW_DAYS = '45';
    const json = JSON.parse((await run(['--json'])).stdout);
    expect(json.realized).toMatchObject({ window_days: 45, fills: 8, trades: 4, wins: 2, realized_pnl: 43 });
  });

  it('when Alpaca is unreachable, then it exits 1 with the reason and prints no page', async () => {
    const down = fake.inject({ path: /.*/, status: 500, times: Infinity });
    try {
      const { code, stdout, stderr } = await run(['--json']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^profit failed: /);
    } finally {
      down.remove();
    }
  });

  it('when a flag or a setting is wrong, then it exits 2 with the usage, or 3 naming the setting', async () => {
    const bad = await run(['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Usage: npm run profit');
    env.PERFORMANCE_WINDOW_DAYS = 'many';
    const settings = await run([]);
    expect(settings.code).toBe(3);
    expect(settings.stderr).toContain('PERFORMANCE_WINDOW_DAYS');
  });
});

describe('npm run profit in local mode', () => {
  it('when the paper broker holds a position and closed a trade, then profit shows them from the SQLite book', async () => {
    const db = openDatabase(dataDir);
    const broker = new PaperBroker(db, { clock: systemClock });
    await broker.submitOrder({ symbol: 'MSFT', side: 'buy', qty: 2, clientOrderId: 'a-open', referencePrice: 100 });
    await broker.submitOrder({ symbol: 'MSFT', side: 'sell', qty: 2, clientOrderId: 'a-close', referencePrice: 110 });
    await broker.submitOrder({ symbol: 'AAPL', side: 'buy', notional: 1000, clientOrderId: 'b-open', referencePrice: 200 });
    broker.recordPrice('AAPL', 210);
    db.close();

    env = { DATA_DIR: dataDir }; // no Alpaca or Google settings: local mode
    const { code, stdout } = await run(['--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      mode: 'local',
      positions: [
        { symbol: 'AAPL', side: 'long', qty: 5, avg_entry_price: 200, current_price: 210, market_value: 1050, unrealized_pl: 50 },
      ],
      long: { count: 1, market_value: 1050, unrealized_pl: 50 },
      short: { count: 0 },
      realized: { trades: 1, wins: 1, win_rate: 1, realized_pnl: 20 },
    });
    expect(json.account.equity).toBeCloseTo(100_070, 6);
  });

  it("when DATA_DIR holds no journal (not the service's folder), then it fails naming DATA_DIR and creates nothing", async () => {
    env = { DATA_DIR: join(dataDir, 'elsewhere') };
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`profit failed: no journal at ${join(dataDir, 'elsewhere', 'trading-bot.db')}: is DATA_DIR the service's?\n`);
    expect(existsSync(join(dataDir, 'elsewhere'))).toBe(false);
  });
});
