/**
 * The CLI as a trader runs it: flags and environment in, files, stdout and an
 * exit code out, wired by the real composition root (settings, SQLite
 * journal, Alpaca adapter) against the fake Alpaca and a local Slack webhook.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../../../analytics/cli';
import { startFakeAlpaca, type FakeAlpaca } from '../../fakes/fake-alpaca';
import { alpacaEnv } from '../../support/alpaca-broker';
import { nyMidnight, weekdays } from '../../support/analytics-data';
import { startHttpCapture, type HttpCapture } from '../../support/http-capture';
import { parseMime, startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

const DAYS = weekdays(60); // 2024-01-02 .. 2024-03-25
const WINDOW = ['--from', '2024-01-02', '--to', '2024-03-25'];

let fake: FakeAlpaca;
let slack: HttpCapture;
let smtp: SmtpSink;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fake = await startFakeAlpaca();
  slack = await startHttpCapture();
  smtp = await startSmtpSink();
  const equity = DAYS.map((_, i) => 100_000 + 150 * i);
  fake.setPortfolioHistory({
    timestamp: DAYS.map(nyMidnight),
    equity,
    profit_loss: equity.map((_, i) => (i ? 150 : 0)),
    base_value: 100_000,
  });
  fake.generateBars('SPY', 60, { start: '2024-01-02', price: 470 });
  // 24 round trips: each day buys a symbol and sells the same quantity an hour later.
  fake.addFills(
    Array.from({ length: 48 }, (_, i) => ({
      symbol: ['AAPL', 'MSFT'][Math.floor(i / 2) % 2],
      side: i % 2 === 0 ? ('buy' as const) : ('sell' as const),
      qty: 1 + (Math.floor(i / 2) % 3),
      price: 100 + (i % 2) * ((i % 4) - 1.5),
      time: new Date(Date.parse(DAYS[1 + Math.floor(i / 2)] + 'T15:00:00Z') + (i % 2) * 3_600_000).toISOString(),
    })),
  );
  fake.setPrice('TSLA', 80);
  fake.setPosition('TSLA', 10, 100); // -20% unrealised
});

afterAll(async () => {
  await Promise.all([fake.close(), slack.close(), smtp.close()]);
});

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'analytics-cli-'));
  slack.requests.length = 0;
  env = {
    ...alpacaEnv(fake),
    ALPACA_DATA_FEED: 'iex',
    WEBHOOK_SECRET: 'a-long-enough-test-secret',
    API_TOKEN: 'another-long-enough-test-token-0123456789',
    DATA_DIR: dataDir,
    SLACK_WEBHOOK_URL: `${slack.origin}/services/T/B/secret-part`,
  };
});

afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) };
  const code = await main(argv, env, io);
  return { code, stdout, stderr };
}

describe('npm run analytics', () => {
  it(
    'when run with --slack, then it writes the files under ' + 'DATA_DIR/analytics, prints the summary, posts to Slack and exits 0',
    async () => {
      const { code, stdout, stderr } = await run([...WINDOW, '--slack', '--no-charts']);

      expect(code).toBe(0);
      expect(stdout).toMatch(/^Trading report 2024-01-02 to 2024-03-25 \(paper account, 59 trading days, short window: /);
      expect(stdout).toMatch(/^Metric +Portfolio +SPY\n[- ]+\nPeriod return +\+/m);
      expect(stdout).toMatch(/^Trades\s+24$/m);
      expect(stderr).toContain('fetching fills… 48');
      expect(stderr).toContain('sent by slack');
      expect(stderr).not.toContain('secret-part');
      const files = readdirSync(join(dataDir, 'analytics'));
      expect(files.filter((f) => f.endsWith('.csv'))).toHaveLength(5);
      expect(files.some((f) => f.endsWith('.png'))).toBe(false);
      expect(slack.requests).toHaveLength(1);
    },
  );

  it('when run with --json and --out, then stdout is the metrics document and the files go to --out', async () => {
    const out = join(dataDir, 'elsewhere');
    const { code, stdout } = await run([...WINDOW, '--json', '--no-charts', '--out', out]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ trades: 24, window: { start: '2024-01-02', end: '2024-03-25' } });
    expect(readdirSync(out).some((f) => f.startsWith('metrics_'))).toBe(true);
    expect(existsSync(join(dataDir, 'analytics'))).toBe(false);
  });

  it('when a flag or a date is wrong, then it prints the usage and exits 2', async () => {
    for (const argv of [['--bogus'], ['--from', '2024-02-30'], ['--days', '-3']]) {
      const { code, stderr } = await run(argv);
      expect(code).toBe(2);
      expect(stderr).toContain('Usage: npm run analytics');
    }
  });

  it('when --email is asked for without SMTP settings, then it exits 3 naming the variables', async () => {
    const { code, stderr } = await run([...WINDOW, '--email']);
    expect(code).toBe(3);
    expect(stderr).toContain('SMTP_URL, ALERT_EMAIL_FROM, ALERT_EMAIL_TO are not set');
  });

  it('when a channel is half configured, then it exits 3 naming the missing variable', async () => {
    env.SMTP_URL = 'smtp://127.0.0.1:1';
    env.ALERT_EMAIL_FROM = 'bot@example.com';
    const { code, stderr } = await run([...WINDOW]);
    expect(code).toBe(3);
    expect(stderr).toContain('ALERT_EMAIL_TO is not set');
  });

  it('when a threshold is breached, then it alerts without --slack, exits 5, and the journal keeps the cool-down across runs', async () => {
    env.ALERT_POSITION_LOSS_PCT = '15';
    const first = await run([...WINDOW, '--no-charts']);
    expect(first.code).toBe(5);
    expect(slack.requests).toHaveLength(1);
    expect(JSON.parse(slack.requests[0].body).text).toContain('TSLA long down -20.00%');

    const second = await run([...WINDOW, '--no-charts']);
    expect(second.code).toBe(5);
    expect(second.stderr).toContain('cooling down');
    expect(slack.requests).toHaveLength(1);
  });

  it(
    'when RISK_FREE_RATE and STATUS_TIMEZONE are set and --email is asked for, ' +
      'then the mail carries the tearsheet tables, 5 charts and New York times',
    async () => {
      Object.assign(env, {
        SMTP_URL: smtp.url,
        ALERT_EMAIL_FROM: 'bot@example.com',
        ALERT_EMAIL_TO: 'trader@example.com',
        RISK_FREE_RATE: '4%',
        STATUS_TIMEZONE: 'America/New_York',
      });
      smtp.messages.length = 0;
      const { code, stdout, stderr } = await run([...WINDOW, '--email', '--json']);
      expect(stderr).toContain('sent by email');
      expect(code).toBe(0);
      const json = JSON.parse(stdout);
      expect(json).toMatchObject({
        risk_free_rate: 0.04,
        short_window: true,
        spy: expect.objectContaining({ total_return: expect.any(Number) }),
      });
      expect(json.drawdowns).toEqual([]); // equity only rises: no drawdown at all
      expect(json.notes.calmar).toContain('no drawdown');

      const mail = parseMime(smtp.messages[0].raw);
      const html = mail.parts.find((p) => p.contentType === 'text/html')!.body.toString();
      expect(html).toContain('<h2>Monthly returns</h2>');
      expect(html).toContain('<h2>Worst drawdowns</h2>');
      expect(html).toContain('risk-free rate 4.00% a year');
      expect(html).toMatch(/generated \d{4}-\d\d-\d\d \d\d:\d\d E[SD]T/);
      expect(mail.parts.filter((p) => p.disposition === 'inline' && p.contentType === 'image/png')).toHaveLength(5);
    },
  );

  it('when RISK_FREE_RATE is not a rate, then it exits 3 naming it', async () => {
    env.RISK_FREE_RATE = '5';
    const { code, stderr } = await run([...WINDOW]);
    expect(code).toBe(3);
    expect(stderr).toContain('RISK_FREE_RATE="5"');
  });

  it('when run in local mode with --json, then stdout is the JSON alone, short_window is true and the SPY figures are null', async () => {
    env = { DATA_DIR: dataDir };
    const { code, stdout } = await run(['--json', '--no-charts']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ mode: 'local', short_window: true, spy: null, monthly_returns: {}, drawdowns: [] });
  });
});
