import { computeReport } from '../../../analytics/model/compute';
import { toMetricsJson } from '../../../analytics/report/metrics-json';
import { renderReportHtml } from '../../../analytics/report/report-html';
import { reportMessage, summaryLine, summaryText } from '../../../analytics/report/summary';
import { slackMessage } from '../../../src/adapters/notify/slack';
import { smsText } from '../../../src/adapters/notify/sms';
import { alphaBeta, sharpe, totalReturn } from '../../../src/domain/performance/metrics';
import type { Fill } from '../../../src/domain/types';
import { collected } from '../../support/analytics-data';

const NOW = new Date('2024-12-31T22:00:00Z');
const requested = { from: new Date('2024-01-01T05:00:00Z'), to: NOW };
/** A deterministic wobble: no randomness in tests. */
const wave = (n: number, scale: number, phase = 0) => Array.from({ length: n }, (_, i) => scale * Math.sin(i * 0.7 + phase) + scale / 10);

const fill = (id: number, symbol: string, side: 'buy' | 'sell', qty: number, price: number, day: string): Fill => ({
  id: String(id),
  symbol,
  side,
  qty,
  price,
  time: `${day}T15:00:00Z`,
  orderId: `o${id}`,
});

describe('computeReport', () => {
  it('when a year of returns and SPY bars is given, then the metrics are the domain functions over the aligned series', () => {
    const r = wave(251, 0.01);
    const b = wave(251, 0.008, 0.3);
    const report = computeReport(collected(r, { bench: b }), NOW);

    expect(report.window.tradingDays).toBe(251);
    expect(report.returns.totalReturn).toBeCloseTo(totalReturn(r)!, 10);
    expect(report.returns.sharpe).toBeCloseTo(sharpe(r)!, 10);
    expect(report.benchmark.totalReturn).toBeCloseTo(totalReturn(b)!, 10);
    expect(report.benchmark.beta).toBeCloseTo(alphaBeta(r, b).beta!, 10);
    expect(report.benchmark.excessReturn).toBeCloseTo(totalReturn(r)! - totalReturn(b)!, 10);
    expect(report.notes).toEqual(expect.not.objectContaining({ sharpe: expect.anything(), alpha: expect.anything() }));
  });

  it('when the window has a single day of returns, then the ratios are null with notes and no output says NaN', () => {
    const report = computeReport(collected([0.01], { bench: [0.02] }), NOW);
    const json = toMetricsJson(report, requested);

    expect(json).toMatchObject({
      total_return: expect.closeTo(0.01, 12),
      sharpe: null,
      sortino: null,
      annual_volatility: null,
      beta: null,
      alpha: null,
    });
    expect(json.notes).toMatchObject({
      sharpe: expect.stringContaining('at least 2 daily returns'),
      beta: expect.stringContaining('2 days'),
    });
    for (const text of [JSON.stringify(json), summaryText(report), renderReportHtml(report, null), summaryLine(report)]) {
      expect(text).not.toMatch(/NaN|Infinity/);
    }
  });

  it('when the returns are flat, then Sharpe and Sortino are null with a reason and the drawdown is 0', () => {
    const report = computeReport(collected([0, 0, 0, 0], { bench: [0.01, -0.01, 0.01, 0] }), NOW);
    expect(report.returns).toMatchObject({ sharpe: null, sortino: null, annualVolatility: 0, totalReturn: 0 });
    expect(report.returns.drawdown.maxDrawdown).toBe(0);
    expect(report.notes.sharpe).toBe('returns have no variance');
  });

  it('when there are no benchmark bars (local mode), then the SPY figures are null and the note says so instead of failing', () => {
    const report = computeReport(collected(wave(10, 0.01), { mode: 'local' }), NOW);
    expect(report.benchmark).toMatchObject({ available: false, totalReturn: null, alpha: null, beta: null, excessReturn: null });
    expect(report.notes.spy_total_return).toBe('no benchmark data in local mode');
    expect(report.returns.sharpe).not.toBeNull();
  });

  it('when fills open and close positions, then the round trips are FIFO-matched and only the open lot stays out', () => {
    const fills = [
      fill(1, 'AAPL', 'buy', 10, 100, '2024-01-03'),
      fill(2, 'AAPL', 'sell', 10, 110, '2024-01-04'),
      fill(3, 'MSFT', 'sell', 5, 400, '2024-01-04'),
      fill(4, 'MSFT', 'buy', 5, 390, '2024-01-05'),
      fill(5, 'TSLA', 'buy', 2, 200, '2024-01-05'),
    ];
    const positions = [{ symbol: 'TSLA', qty: 2, side: 'long' as const, avgEntryPrice: 200, marketValue: 380, unrealizedPl: -20 }];
    const report = computeReport(collected(wave(5, 0.01), { fills, positions }), NOW);

    expect(report.roundTrips.map((t) => [t.symbol, t.direction, t.pnl])).toEqual([
      ['AAPL', 'long', 100],
      ['MSFT', 'short', 50],
    ]);
    expect(report.trades).toMatchObject({ trades: 2, winRate: 1, profitFactor: null, realizedPnl: 150 });
    expect(report.notes.profit_factor).toContain('no losing trade');
    expect(report.bySymbol.find((s) => s.symbol === 'TSLA')).toMatchObject({ unrealizedPnl: -20, totalPnl: -20 });
  });

  it('when the journal has alert prices, then slippage is reported per symbol and overall; without them, a note says why', () => {
    const withJournal = computeReport(
      { ...collected([0.01, 0.01]), signalFills: [{ symbol: 'AAPL', side: 'buy', signalPrice: 100, fillPrice: 100.2, qty: 1 }] },
      NOW,
    );
    expect(withJournal.slippage?.overall?.bps).toBeCloseTo(20, 9);
    expect(toMetricsJson(withJournal, requested).slippage).toMatchObject({
      overall_bps: expect.closeTo(20, 9),
      per_symbol: [{ symbol: 'AAPL', fills: 1 }],
    });
    expect(computeReport(collected([0.01, 0.01]), NOW).notes.slippage).toBe('no journal with signal prices');
  });
});

describe('metrics JSON', () => {
  it('when rendered, then it has the snake_case keys of the issue and the window dates', () => {
    const json = toMetricsJson(computeReport(collected(wave(20, 0.01), { bench: wave(20, 0.01, 1) }), NOW), requested);
    for (const key of [
      'sharpe',
      'sortino',
      'max_drawdown',
      'cagr',
      'annual_volatility',
      'total_return',
      'alpha',
      'beta',
      'spy_total_return',
      'excess_return',
      'win_rate',
      'profit_factor',
      'trades',
    ]) {
      expect(json).toHaveProperty(key);
    }
    expect(json.window).toMatchObject({ start: '2024-01-02', end: '2024-01-30', trading_days: 20 });
  });
});

describe('summaries', () => {
  const report = computeReport(collected(wave(60, 0.02), { bench: wave(60, 0.01, 1) }), NOW);

  it('when printed, then the stdout summary is a table with the key figures', () => {
    const text = summaryText(report);
    expect(text).toMatch(/^Metric\s+Portfolio\s+SPY$/m);
    expect(text).toMatch(/^Sharpe\s+-?\d+\.\d\d\s+-?\d+\.\d\d$/m);
    expect(text).toMatch(/^Total return\s+[+-]?\d+\.\d\d%\s+[+-]?\d+\.\d\d%$/m);
    expect(text).toMatch(/^Monthly returns$/m);
    expect(text).toMatch(/^Worst drawdowns$/m);
  });

  it('when texted, then the SMS summary is one segment of plain ASCII, however large the numbers', () => {
    const huge = { ...report, account: { ...report.account, equity: 123_456_789_012 } };
    for (const r of [report, huge]) {
      const sms = smsText(reportMessage(r));
      expect(sms.length).toBeLessThanOrEqual(160);
      expect(sms).toMatch(/^[\x20-\x7e]+$/);
      expect(sms).toContain('Sharpe');
    }
  });

  it("when posted to Slack, then no section has more than 10 fields (Slack's limit) and the header names the window", () => {
    const blocks = slackMessage(reportMessage(report)).blocks as { type: string; fields?: unknown[]; text?: { text: string } }[];
    const header = /^Trading report 2024-01-02 to 2024-03-26: [+-]\d+\.\d\d%$/;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(header) } });
    expect(blocks.every((b) => (b.fields?.length ?? 0) <= 10)).toBe(true);
    expect(blocks.filter((b) => b.fields).flatMap((b) => b.fields)).toHaveLength(26);
    expect(JSON.stringify(blocks)).toMatch(/\*Sharpe\*\\n-?\d+\.\d\d \(SPY -?\d+\.\d\d\)/);
  });

  it('when a symbol carries markup, then the HTML report escapes it', () => {
    const fills = [fill(1, '<b>X', 'buy', 1, 10, '2024-01-03'), fill(2, '<b>X', 'sell', 1, 11, '2024-01-04')];
    const html = renderReportHtml(computeReport(collected([0.01, 0.01, 0.01], { fills }), NOW), null);
    expect(html).toContain('&lt;b&gt;X');
    expect(html).not.toContain('<b>X');
  });
});
