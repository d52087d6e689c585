/**
 * The account's first day: the real AlpacaBroker reads the fake Alpaca,
 * whose portfolio history then holds a single equity point. The period
 * return is measured from it; only the figures that need more days say n/a.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAnalytics, type AnalyticsDeps } from '../../../analytics/run-analytics';
import { summaryText } from '../../../analytics/report/summary';
import { memoryLogger } from '../../../src/logger';
import { alpacaFixture } from '../../support/alpaca-fixture';
import { memoryStateStore, nyMidnight } from '../../support/analytics-data';

const { fake, broker } = alpacaFixture();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'first-day-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const now = new Date('2024-01-02T22:00:00Z');
function deps(): AnalyticsDeps {
  return {
    broker,
    mode: 'paper',
    history: broker,
    notifiers: [],
    stateStore: memoryStateStore(),
    thresholds: { cooldownHours: 12 },
    clock: { now: () => now, sleep: async () => {} },
    logger: memoryLogger(),
  };
}
const run = () => runAnalytics(deps(), { from: new Date('2023-12-04T05:00:00Z'), to: now, outDir: dir, charts: false, channels: [] });

describe('analytics on the first day', () => {
  it(
    "when the account's only equity point is up 1.05% on the day, then the " +
      'period return says +1.05% and only the figures that need more days are n/a',
    async () => {
      fake.setPortfolioHistory({
        timestamp: [nyMidnight('2024-01-02')],
        equity: [101_050],
        profit_loss: [1_050],
        base_value: 100_000,
        timeframe: '1D',
      });
      const { report, files } = await run();
      expect(report.window).toMatchObject({ start: '2024-01-02', end: '2024-01-02', tradingDays: 1 });
      expect(report.returns.totalReturn).toBeCloseTo(0.0105, 12);
      expect(summaryText(report)).toMatch(/^Period return\s+\+1\.05%/m);

      const json = JSON.parse(readFileSync(files.metrics, 'utf8'));
      expect(json.total_return).toBeCloseTo(0.0105, 12);
      expect(json.best_day).toBeCloseTo(0.0105, 12);
      for (const k of ['annual_volatility', 'sharpe', 'sortino']) {
        expect([k, json[k]]).toEqual([k, null]);
        expect(json.notes[k]).toMatch(/needs at least 2 daily returns; the window has 1/);
      }
      expect(json.notes.total_return).toBeUndefined();
    },
  );

  it(
    'when the first point carries no profit/loss (only the base ' + 'value), then the period return is measured from the base value',
    async () => {
      fake.setPortfolioHistory({ timestamp: [nyMidnight('2024-01-02')], equity: [101_050], base_value: 100_000, timeframe: '1D' });
      const { report } = await run();
      expect(report.returns.totalReturn).toBeCloseTo(0.0105, 12);
    },
  );
});
