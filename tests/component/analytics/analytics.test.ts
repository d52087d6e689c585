/**
 * The analytics run end to end: the real AlpacaBroker (real SDK) reads a
 * fake Alpaca over HTTP (portfolio history, fills over several pages, SPY
 * bars over several pages). Checks the files, the CSVs, the JSON, the PNGs
 * and the HTML, a run through a dropped connection and a 503, and the
 * charts' notice on a single day (the deliveries and alerts are in
 * analytics-delivery.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadImage, createCanvas } from 'canvas';
import { parse } from 'csv-parse/sync';
import { runAnalytics } from '../../../analytics/run-analytics';
import { CHART_HEIGHT, CHART_WIDTH } from '../../../analytics/charts/charts';
import { analyticsFixture, DAYS, DEPOSIT_DAY, FILLS, RETURNS, window } from '../../support/analytics-fixture';

const run = analyticsFixture();
const { fake, deps } = run;

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
    const result = await runAnalytics(deps(), { ...window, outDir: run.dir, charts: true, channels: [] });
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

    expect(readdirSync(run.dir).sort()).toEqual(
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
    expect(eq[0]).toMatchObject({ date: '2024-01-02', daily_return: '', spy_close: String(run.spyCloses[0]), drawdown: '0' });
    expect(Number(eq[DEPOSIT_DAY + 1].daily_return)).toBeCloseTo(RETURNS[DEPOSIT_DAY], 10); // the deposit is not a return
    expect(Number(eq[5].spy_return)).toBeCloseTo(run.spyCloses[5] / run.spyCloses[4] - 1, 10);
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
    expect(json.spy_total_return).toBeCloseTo(run.spyCloses[59] / run.spyCloses[0] - 1, 10);
    expect(json.excess_return).toBeCloseTo(compounded - (run.spyCloses[59] / run.spyCloses[0] - 1), 10);
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
    const result = await runAnalytics(deps(), { ...window, outDir: run.dir, charts: false, channels: [] });
    expect(result.report.window.tradingDays).toBeGreaterThan(50);
    expect(fake.requests.filter((r) => r.path === '/v2/account/portfolio/history').length).toBeGreaterThanOrEqual(2);
    fake.clearFaults();
  });

  it(
    'when the window has a single trading day, then each return chart ' + 'says inside the picture that it needs 2 or more trading days',
    async () => {
      const oneDay = { from: new Date('2024-01-02T05:00:00Z'), to: new Date('2024-01-03T21:00:00Z') };
      const thin = await runAnalytics(deps(), { ...oneDay, outDir: run.dir, charts: true, channels: [] });
      expect(thin.report.window.tradingDays).toBe(1);
      const charts = thin.files.charts!;
      for (const file of [charts.equityVsSpy, charts.drawdown, charts.monthlyReturns, charts.rollingSharpe]) {
        const notice = await pixels(file, [0xff, 0xf8, 0xc5]); // the notice's pale yellow box
        expect(notice).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT, hasColour: true });
        expect((await pixels(file, [0xd4, 0xa7, 0x2c])).hasColour).toBe(true); // and its frame
      }
    },
  );
});
