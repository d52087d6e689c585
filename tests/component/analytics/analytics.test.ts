/**
 * The analytics use case end to end: the real AlpacaBroker (real SDK) reads
 * a fake Alpaca over HTTP (portfolio history, fills over several pages, SPY
 * bars over several pages); the real notifiers deliver to an SMTP server and
 * local HTTP servers. Checks the files, the JSON, the PNGs, the messages and
 * the threshold cool-down.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage, createCanvas } from 'canvas';
import { parse } from 'csv-parse/sync';
import { runAnalytics, type AnalyticsDeps } from '../../../analytics/run-analytics';
import { CHART_HEIGHT, CHART_WIDTH } from '../../../analytics/charts/charts';
import { EmailNotifier } from '../../../src/adapters/notify/email';
import { SlackNotifier } from '../../../src/adapters/notify/slack';
import { SmsNotifier } from '../../../src/adapters/notify/sms';
import { memoryLogger } from '../../../src/logger';
import type { Clock } from '../../../src/ports';
import { startFakeAlpaca, type FakeAlpaca } from '../../fakes/fake-alpaca';
import { brokerFor } from '../../support/alpaca-broker';
import { memoryStateStore, nyMidnight, weekdays } from '../../support/analytics-data';
import { startHttpCapture, twilioMessageCreated, type HttpCapture } from '../../support/http-capture';
import { parseMime, startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

const DAYS = weekdays(60); // 2024-01-02 .. 2024-03-25
const RETURNS = DAYS.slice(1).map((_, i) => 0.012 * Math.sin(i * 0.9) + 0.001);
const DEPOSIT_DAY = 20;
const FILLS = 348; // 58 rounds of buy AAPL/MSFT/SPY then sell the same: flat at the end
const window = { from: new Date('2024-01-02T05:00:00Z'), to: new Date('2024-03-25T21:00:00Z') };

let fake: FakeAlpaca;
let smtp: SmtpSink;
let slack: HttpCapture;
let twilioApi: HttpCapture;
let dir: string;
let equity: number[];
let spyCloses: number[];
let now: Date;
const clock: Clock = { now: () => now, sleep: async () => {} };

beforeAll(async () => {
  fake = await startFakeAlpaca({ barsPageLimit: 25 });
  [smtp, slack, twilioApi] = await Promise.all([startSmtpSink(), startHttpCapture(), startHttpCapture(twilioMessageCreated)]);

  // Equity with a $10,000 deposit: profit_loss carries only the day's gain.
  equity = [100_000];
  const pl = [0];
  RETURNS.forEach((r, i) => {
    pl.push(equity[i] * r);
    equity.push(equity[i] * (1 + r) + (i + 1 === DEPOSIT_DAY ? 10_000 : 0));
  });
  fake.setPortfolioHistory({ timestamp: DAYS.map(nyMidnight), equity, profit_loss: pl, base_value: 100_000, timeframe: '1D' });
  spyCloses = fake.generateBars('SPY', 60, { start: '2024-01-02', price: 470 }).map((b) => b.c);
  fake.generateFills(FILLS, { symbols: ['AAPL', 'MSFT', 'SPY'], start: '2024-01-03T15:00:00Z', stepMs: 3 * 3_600_000 });
  fake.setPrice('TSLA', 180);
  fake.setPosition('TSLA', 10, 200); // -10% unrealised
});

afterAll(async () => {
  await Promise.all([fake.close(), smtp.close(), slack.close(), twilioApi.close()]);
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'analytics-'));
  now = new Date('2024-03-26T12:00:00Z');
  smtp.messages.length = 0;
  slack.requests.length = 0;
  twilioApi.requests.length = 0;
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deps(stateStore = memoryStateStore()): AnalyticsDeps {
  const broker = brokerFor(fake);
  return {
    broker,
    mode: 'paper',
    history: broker,
    journal: {
      signalFills: () => [
        { symbol: 'AAPL', side: 'buy', signalPrice: 100, fillPrice: 100.05, qty: 10, time: Date.parse('2024-02-01T15:00:00Z') },
      ],
    },
    notifiers: [
      new EmailNotifier({ smtpUrl: smtp.url, from: 'bot@example.com', to: ['trader@example.com'] }),
      new SmsNotifier({ accountSid: 'AC1', authToken: 'tok', from: '+15550001111', to: ['+15550002222'], apiUrl: twilioApi.origin }),
      new SlackNotifier({ webhookUrl: `${slack.origin}/services/T/B/x` }),
    ],
    stateStore,
    thresholds: { cooldownHours: 12, positionLossPct: 5 },
    clock,
    logger: memoryLogger(),
  };
}

const csv = (file: string) => parse(readFileSync(file), { columns: true }) as Record<string, string>[];

/** Share of pixels that are not white, and whether some pixel is close to `rgb`. */
async function pixels(file: string, rgb: [number, number, number]) {
  const img = await loadImage(file);
  const ctx = createCanvas(img.width, img.height).getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  let ink = 0;
  let hasColour = false;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240) ink++;
    if (Math.abs(data[i] - rgb[0]) + Math.abs(data[i + 1] - rgb[1]) + Math.abs(data[i + 2] - rgb[2]) < 40) hasColour = true;
  }
  return { width: img.width, height: img.height, ink: ink / (img.width * img.height), hasColour };
}

describe('analytics against the fake Alpaca', () => {
  it('when run over the window, then the CSVs, JSON and charts hold the right figures and every page was read', async () => {
    const result = await runAnalytics(deps(), { ...window, outDir: dir, charts: true, channels: [] });
    const ts = result.files.ts;
    const extension: Record<string, string> = {
      metrics: 'json',
      report: 'html',
      drawdown: 'png',
      equity_vs_spy: 'png',
      pnl_by_symbol: 'png',
      monthly_returns: 'png',
      rolling_sharpe: 'png',
    };

    expect(readdirSync(dir).sort()).toEqual(
      [
        'account',
        'drawdown',
        'equity',
        'equity_vs_spy',
        'fills',
        'metrics',
        'monthly_returns',
        'pnl_by_symbol',
        'positions',
        'report',
        'rolling_sharpe',
        'trades',
      ]
        .map((n) => `${n}_${ts}.${extension[n] ?? 'csv'}`)
        .sort(),
    );
    const fillRequests = fake.requests.filter((r) => r.path === '/v2/account/activities');
    expect(fillRequests.length).toBeGreaterThanOrEqual(4);
    expect(fake.requests.filter((r) => r.path === '/v2/stocks/bars' || r.path === '/v2/stocks/SPY/bars').length).toBeGreaterThanOrEqual(3);

    const eq = csv(result.files.csv.equity);
    expect(Object.keys(eq[0])).toEqual(['date', 'equity', 'daily_return', 'spy_close', 'spy_return', 'drawdown']);
    expect(eq).toHaveLength(60);
    expect(eq[0]).toMatchObject({ date: '2024-01-02', daily_return: '', spy_close: String(spyCloses[0]), drawdown: '0' });
    expect(Number(eq[DEPOSIT_DAY + 1].daily_return)).toBeCloseTo(RETURNS[DEPOSIT_DAY], 10); // the deposit is not a return
    expect(Number(eq[5].spy_return)).toBeCloseTo(spyCloses[5] / spyCloses[4] - 1, 10);
    expect(eq.every((r) => Number(r.drawdown) <= 0)).toBe(true);

    const fills = csv(result.files.csv.fills);
    expect(fills).toHaveLength(FILLS);
    const trades = csv(result.files.csv.trades);
    expect(trades).toHaveLength(FILLS / 2);
    const cashFlow = fake.activities().reduce((s, a) => s + (a.side === 'sell' ? 1 : -1) * Number(a.price) * Number(a.qty), 0);
    expect(trades.reduce((s, t) => s + Number(t.pnl), 0)).toBeCloseTo(cashFlow, 1);
    expect(csv(result.files.csv.positions)).toEqual([expect.objectContaining({ symbol: 'TSLA', qty: '10', unrealized_pl: '-200' })]);
    expect(Number(csv(result.files.csv.account)[0].equity)).toBeGreaterThan(0);

    const json = JSON.parse(readFileSync(result.files.metrics, 'utf8'));
    const compounded = RETURNS.reduce((w, r) => w * (1 + r), 1) - 1;
    expect(json.window).toMatchObject({ start: '2024-01-02', end: '2024-03-25', trading_days: 59 });
    expect(json.total_return).toBeCloseTo(compounded, 10);
    expect(json.spy_total_return).toBeCloseTo(spyCloses[59] / spyCloses[0] - 1, 10);
    expect(json.excess_return).toBeCloseTo(compounded - (spyCloses[59] / spyCloses[0] - 1), 10);
    expect(json).toMatchObject({ trades: FILLS / 2, fills: FILLS, realized_pnl: expect.closeTo(cashFlow, 1) });
    expect(json.slippage.overall_bps).toBeCloseTo(5, 9);
    for (const k of ['sharpe', 'sortino', 'cagr', 'annual_volatility', 'max_drawdown', 'alpha', 'beta', 'win_rate'])
      expect(typeof json[k]).toBe('number');

    const equityPng = await pixels(result.files.charts!.equityVsSpy, [0x09, 0x69, 0xda]);
    expect(equityPng).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT, hasColour: true });
    expect(equityPng.ink).toBeGreaterThan(0.01);
    expect(await pixels(result.files.charts!.drawdown, [0xcf, 0x22, 0x2e])).toMatchObject({ width: CHART_WIDTH, hasColour: true });
    const pnl = await pixels(result.files.charts!.pnlBySymbol, [0xcf, 0x22, 0x2e]); // TSLA's loss bar is red
    expect(pnl).toMatchObject({ height: CHART_HEIGHT, hasColour: true });

    const heatmap = await pixels(result.files.charts!.monthlyReturns, [0x1a, 0x7f, 0x37]);
    expect(heatmap).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(heatmap.ink).toBeGreaterThan(0.1); // three months of coloured cells
    // Charts with enough data carry no notice (its frame colour is absent).
    expect((await pixels(result.files.charts!.equityVsSpy, [0xd4, 0xa7, 0x2c])).hasColour).toBe(false);
    expect((await pixels(result.files.charts!.monthlyReturns, [0xd4, 0xa7, 0x2c])).hasColour).toBe(false);
    const rolling = await pixels(result.files.charts!.rollingSharpe, [0xd4, 0xa7, 0x2c]);
    expect(rolling).toMatchObject({ width: CHART_WIDTH, hasColour: true }); // 59 days < 126: the notice's frame is drawn

    expect(json).toMatchObject({ short_window: true, risk_free_rate: 0 });
    expect(Object.keys(json.monthly_returns)).toEqual(['2024-01', '2024-02', '2024-03']);
    const compoundedMonth = (m: string) => RETURNS.filter((_, i) => DAYS[i + 1].startsWith(m)).reduce((w, r) => w * (1 + r), 1) - 1;
    expect(json.monthly_returns['2024-02']).toBeCloseTo(compoundedMonth('2024-02'), 10);
    expect(json.drawdowns[0].depth).toBe(json.max_drawdown);
    expect(json.spy.total_return).toBeCloseTo(json.spy_total_return, 12);
    for (const k of ['calmar', 'value_at_risk', 'conditional_value_at_risk', 'skew', 'kurtosis', 'best_day', 'worst_day'])
      expect(typeof json[k]).toBe('number');

    const html = readFileSync(result.files.html, 'utf8');
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(5);
    expect(html).toContain('<h2>Monthly returns</h2>');
    expect(html).toContain('<h2>Worst drawdowns</h2>');
    expect(html).toContain('TSLA');
  });

  it('when Alpaca drops a connection or answers 503 once on a read, then the report is still made', async () => {
    fake.inject({ path: /^\/v2\/account\/portfolio\/history$/, hangUp: true, times: 1 });
    fake.inject({ path: /^\/v2\/account\/activities/, status: 503, times: 1 });
    const result = await runAnalytics(deps(), { ...window, outDir: dir, charts: false, channels: [] });
    expect(result.report.window.tradingDays).toBeGreaterThan(50);
    expect(fake.requests.filter((r) => r.path === '/v2/account/portfolio/history').length).toBeGreaterThanOrEqual(2);
    fake.clearFaults();
  });

  it(
    'when the window has a single trading day, then each return chart ' + 'says inside the picture that it needs 2 or more trading days',
    async () => {
      const oneDay = { from: new Date('2024-01-02T05:00:00Z'), to: new Date('2024-01-03T21:00:00Z') };
      const thin = await runAnalytics(deps(), { ...oneDay, outDir: dir, charts: true, channels: [] });
      expect(thin.report.window.tradingDays).toBe(1);
      const charts = thin.files.charts!;
      for (const file of [charts.equityVsSpy, charts.drawdown, charts.monthlyReturns, charts.rollingSharpe]) {
        const notice = await pixels(file, [0xff, 0xf8, 0xc5]); // the notice's pale yellow box
        expect(notice).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT, hasColour: true });
        expect((await pixels(file, [0xd4, 0xa7, 0x2c])).hasColour).toBe(true); // and its frame
      }
    },
  );

  it(
    'when the report is sent everywhere, then the email carries the HTML, ' +
      'inline charts and CSVs, and Slack and Twilio get their summaries',
    async () => {
      const result = await runAnalytics(deps(), { ...window, outDir: dir, charts: true, channels: ['email', 'sms', 'slack'] });
      expect(result.deliveries.map((d) => [d.channel, d.ok])).toEqual([
        ['email', true],
        ['sms', true],
        ['slack', true],
      ]);

      const report = smtp.messages.map((m) => parseMime(m.raw)).find((m) => m.headers.subject.startsWith('Trading report'))!;
      expect(report.headers.subject).toMatch(/^Trading report 2024-01-02 to 2024-03-25: [+-]\d+\.\d\d%$/);
      const html = report.parts.find((p) => p.contentType === 'text/html')!.body.toString();
      for (const cid of ['equity-vs-spy', 'drawdown', 'monthly-returns', 'rolling-sharpe', 'pnl-by-symbol']) {
        expect(html).toContain(`cid:${cid}`);
        expect(report.parts.find((p) => p.cid === cid)).toMatchObject({ contentType: 'image/png', disposition: 'inline' });
      }
      const attached = report.parts.filter((p) => p.disposition === 'attachment').map((p) => p.filename);
      expect(attached.sort()).toEqual(['account', 'equity', 'fills', 'positions', 'trades'].map((n) => `${n}_${result.files.ts}.csv`));
      expect(
        report.parts
          .find((p) => p.filename?.startsWith('trades_'))!
          .body.toString()
          .split('\n')[0],
      ).toContain('entry_price');
      expect(report.parts.find((p) => p.contentType === 'text/plain')!.body.toString()).toContain('Sharpe (short window)');
      expect(html).toContain('<h2>Monthly returns</h2>');
      expect(html).toContain('<h2>Worst drawdowns</h2>');
      expect(html).toContain('<th style="text-align:right">SPY</th>');
      expect(html).toMatch(
        /Period return<\/td><td style="text-align:right">[+-]\d+\.\d\d%<\/td><td style="text-align:right">[+-]\d+\.\d\d%/,
      );

      const slackReport = slack.requests.map((r) => JSON.parse(r.body)).find((b) => b.blocks[0].text.text.startsWith('Trading report'));
      const fields = slackReport.blocks
        .flatMap((b: { fields?: { text: string }[] }) => b.fields ?? [])
        .map((f: { text: string }) => f.text);
      expect(fields).toContain(`*Trades*\n${FILLS / 2}`);
      expect(fields).toContain('*Slippage*\n+5.0 bp over 1 order');
      const sms = twilioApi.requests.map((r) => new URLSearchParams(r.body).get('Body')!);
      expect(sms.some((b) => b.startsWith('Bot 01-02..03-25 (59d)') && b.length <= 160 && !b.includes('Sharpe'))).toBe(true);
    },
  );

  it('when a threshold is breached, then every channel is alerted once per cool-down and the exit code says so', async () => {
    const store = memoryStateStore();
    const d = deps(store);
    const options = { ...window, outDir: dir, charts: false, channels: [] };

    const first = await runAnalytics(d, options);
    expect(first.breaches.map((b) => b.key)).toEqual(['position_loss.TSLA']);
    expect(first.alertDeliveries.map((x) => x.ok)).toEqual([true, true, true]);
    expect(first.exitCode).toBe(5);
    expect(smtp.messages.map((m) => parseMime(m.raw).headers.subject)).toEqual([expect.stringContaining('TSLA long down -10.00%')]);
    expect(twilioApi.requests).toHaveLength(1);
    expect(JSON.parse(slack.requests[0].body).blocks[0].text.text).toContain('TSLA');

    now = new Date(now.getTime() + 6 * 3_600_000);
    const again = await runAnalytics(d, options);
    expect(again.exitCode).toBe(5);
    expect(again.alerted).toEqual([]);
    expect(smtp.messages).toHaveLength(1);

    now = new Date(now.getTime() + 7 * 3_600_000);
    const later = await runAnalytics(d, options);
    expect(later.alerted.map((b) => b.key)).toEqual(['position_loss.TSLA']);
    expect(smtp.messages).toHaveLength(2);
    expect(store.data.get('analytics.alert.position_loss.TSLA')).toBe(now.toISOString());
  });

  it('when one channel fails, then the others still deliver and the exit code reports the failure', async () => {
    slack.respond = () => ({ status: 500, body: 'down' });
    try {
      const d = { ...deps(), thresholds: { cooldownHours: 12 } };
      const result = await runAnalytics(d, { ...window, outDir: dir, charts: false, channels: ['email', 'sms', 'slack'] });
      expect(result.deliveries.map((x) => x.ok)).toEqual([true, true, false]);
      expect(result.exitCode).toBe(4);
      expect(smtp.messages).toHaveLength(1);
      expect(twilioApi.requests).toHaveLength(1);
    } finally {
      slack.respond = () => ({ status: 200, body: 'ok' });
    }
  });
});
