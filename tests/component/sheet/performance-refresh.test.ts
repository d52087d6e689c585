import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleSheetStore } from '../../../src/adapters/google-sheets';
import { readServiceAccountKey } from '../../../src/settings/google-key';
import { LocalSheetStore } from '../../../src/adapters/local-sheet';
import { PaperBroker } from '../../../src/adapters/paper-broker/paper-broker';
import { openDatabase } from '../../../src/adapters/sqlite-journal/database';
import { createPerformanceRefresher, type PerformanceDeps } from '../../../src/app/sheet/refresh-performance';
import { memoryLogger } from '../../../src/logger';
import type { Clock } from '../../../src/ports';
import type { FakeAlpaca, FillInput } from '../../fakes/fake-alpaca';
import { alpacaFixture } from '../../support/alpaca-fixture';
import { startFakeSheets, type FakeSheets } from '../../fakes/fake-sheets';
import { createServiceAccount, type TestServiceAccount } from '../../support/service-account';

const NOW = '2025-10-11T05:30:05Z';
const STAMP = '2025-10-10 22:30:05 PDT';
const HEADER = (
  'symbol total_trades winning_trades losing_trades win_rate total_pnl ' +
  'avg_pnl_per_trade best_trade worst_trade open_qty unrealized_pl last_updated'
).split(' ');
const fixedClock: Clock = { now: () => new Date(NOW), sleep: async () => {} };

/** A fill `minutes` after 2025-09-20T14:00Z (inside the 30-day window). */
function at(minutes: number): string {
  return new Date(Date.parse('2025-09-20T14:00:00Z') + minutes * 60_000).toISOString();
}

/**
 * 127 fills (two activity pages):
 * - AAPL: 60 round trips of 10 shares bought at 100, sold alternately at 101 (+$10) and 99.50 (−$5);
 * - MSFT: short 5 @ 400 covered @ 390 (+$50), short 5 @ 400 covered @ 410.25 (−$51.25), short 3 @ 400 still open;
 * - TSLA: 10 bought @ 200 before the window, 4 sold @ 250 in it (+$200), 6 still held;
 * - NVDA: a pre-window long (price unknown) sold in the window: no phantom short, no invented P&L;
 * - AMD: a round trip before the window: not shown.
 */
function seedAccount(alpaca: FakeAlpaca): void {
  const fills: FillInput[] = [];
  for (let i = 0; i < 60; i++) {
    fills.push({ symbol: 'AAPL', side: 'buy', qty: 10, price: 100, time: at(2 * i) });
    fills.push({ symbol: 'AAPL', side: 'sell', qty: 10, price: i % 2 === 0 ? 101 : 99.5, time: at(2 * i + 1) });
  }
  fills.push(
    { symbol: 'MSFT', side: 'sell_short', qty: 5, price: 400, time: at(200) },
    { symbol: 'MSFT', side: 'buy', qty: 5, price: 390, time: at(201) },
    { symbol: 'MSFT', side: 'sell_short', qty: 5, price: 400, time: at(202) },
    { symbol: 'MSFT', side: 'buy', qty: 5, price: 410.25, time: at(203) },
    { symbol: 'MSFT', side: 'sell_short', qty: 3, price: 400, time: at(204) },
    { symbol: 'TSLA', side: 'buy', qty: 10, price: 200, time: '2025-08-01T14:00:00Z' },
    { symbol: 'TSLA', side: 'sell', qty: 4, price: 250, time: at(300) },
    { symbol: 'NVDA', side: 'sell', qty: 10, price: 120, time: at(400) },
    { symbol: 'AMD', side: 'buy', qty: 1, price: 150, time: '2025-08-02T14:00:00Z' },
    { symbol: 'AMD', side: 'sell', qty: 1, price: 160, time: '2025-08-02T15:00:00Z' },
  );
  alpaca.addFills(fills);
  alpaca.setPosition('MSFT', -3, 400);
  alpaca.setPrice('MSFT', 410);
  alpaca.setPosition('TSLA', 6, 200);
  alpaca.setPrice('TSLA', 250);
}

const EXPECTED = [
  HEADER,
  ['AAPL', '60', '30', '30', '50.0%', '$150.00', '$2.50', '$10.00', '-$5.00', '0', '$0.00', STAMP],
  ['MSFT', '2', '1', '1', '50.0%', '-$1.25', '-$0.63', '$50.00', '-$51.25', '-3', '-$30.00', STAMP],
  ['NVDA', '0', '0', '0', '', '$0.00', '', '', '', '0', '$0.00', STAMP],
  ['TSLA', '1', '1', '0', '100.0%', '$200.00', '$200.00', '$200.00', '$200.00', '6', '$300.00', STAMP],
  // 348.75 over 63 trades = 5.5357… → $5.54; 32 / 63 = 50.8%.
  ['TOTAL', '63', '32', '31', '50.8%', '$348.75', '$5.54', '$200.00', '-$51.25', '', '$270.00', STAMP],
];

describe('Performance refresh against Alpaca and Google Sheets (fakes)', () => {
  const { fake: alpaca, broker } = alpacaFixture();
  let sheets: FakeSheets;
  let account: TestServiceAccount;
  let deps: PerformanceDeps & { logger: ReturnType<typeof memoryLogger> };

  beforeAll(async () => {
    account = createServiceAccount();
    sheets = await startFakeSheets({
      spreadsheetId: 'perf-sheet',
      serviceAccountEmail: account.email,
      publicKeyPem: account.publicKeyPem,
      tabs: { Config: [['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated']] },
    });
  });

  beforeEach(() => {
    sheets.reset();
    const sheet = new GoogleSheetStore({ spreadsheetId: 'perf-sheet', key: readServiceAccountKey(account.keyFile), rootUrl: sheets.url });
    deps = {
      broker,
      history: broker,
      sheet,
      clock: fixedClock,
      logger: memoryLogger(),
      tab: 'Performance',
      windowDays: 30,
      timezone: 'America/Los_Angeles',
    };
  });

  afterAll(async () => {
    await sheets.close();
    account.cleanup();
  });

  it('when fills span two pages, then the new Performance tab holds the FIFO stats, cell by cell', async () => {
    seedAccount(alpaca);
    expect(sheets.tabs()).not.toContain('Performance');
    const report = await createPerformanceRefresher(deps).refresh();
    expect(sheets.tabs()).toContain('Performance');
    expect(sheets.tab('Performance')).toEqual(EXPECTED);
    expect(report.table).toEqual(EXPECTED);
    expect(report.rows[0]).toMatchObject({ symbol: 'AAPL', totalTrades: 60, winRate: 0.5, totalPnl: 150 });
    expect(report.unpricedRoundTrips).toBe(1); // NVDA's close of a pre-window long
    const pages = alpaca.requests.filter((r) => r.path === '/v2/account/activities');
    expect(pages).toHaveLength(2);
    expect(pages[1].query.page_token).toBeTruthy();
  });

  it('when symbols drop out, then their rows are removed and no write ever showed a half-written tab', async () => {
    seedAccount(alpaca);
    const refresher = createPerformanceRefresher(deps);
    const first = await refresher.refresh();
    alpaca.reset();
    alpaca.addFills([
      { symbol: 'AAPL', side: 'buy', qty: 2, price: 100, time: at(0) },
      { symbol: 'AAPL', side: 'sell', qty: 2, price: 103.5, time: at(1) },
    ]);
    const second = await refresher.refresh();
    expect(sheets.tab('Performance')).toEqual([
      HEADER,
      ['AAPL', '1', '1', '0', '100.0%', '$7.00', '$7.00', '$7.00', '$7.00', '0', '$0.00', STAMP],
      ['TOTAL', '1', '1', '0', '100.0%', '$7.00', '$7.00', '$7.00', '$7.00', '', '$0.00', STAMP],
    ]);
    // Every state the tab was ever in: empty (just created) or one complete table.
    const complete = [JSON.stringify(first.table), JSON.stringify(second.table)];
    const states = sheets.history('Performance');
    expect(states.length).toBeGreaterThanOrEqual(2);
    for (const state of states) expect(state.length === 0 || complete.includes(JSON.stringify(state))).toBe(true);
    expect(JSON.stringify(states[states.length - 1])).toBe(complete[1]);
  });

  it('when refreshes are asked for at once, then they share one run', async () => {
    seedAccount(alpaca);
    const refresher = createPerformanceRefresher(deps);
    const [a, b] = await Promise.all([refresher.refresh(), refresher.refresh()]);
    expect(b).toBe(a);
    expect(alpaca.requests.filter((r) => r.path === '/v2/account/activities')).toHaveLength(2);
    expect(deps.logger.lines.filter((l) => l.includes('"performance.refreshed"'))).toHaveLength(1);
  });

  it('when a scheduled refresh fails, then it is logged and the next one runs on schedule', async () => {
    seedAccount(alpaca);
    const outage = alpaca.inject({ path: /^\/v2\/account\/activities$/, status: 500, times: Infinity });
    const refresher = createPerformanceRefresher(deps);
    refresher.start(100);
    try {
      await waitFor(() => deps.logger.lines.some((l) => l.includes('"performance.refresh_failed"')));
      outage.remove();
      await waitFor(() => deps.logger.lines.some((l) => l.includes('"performance.refreshed"')));
    } finally {
      refresher.stop();
    }
    const failed = deps.logger.lines.findIndex((l) => l.includes('"performance.refresh_failed"'));
    const succeeded = deps.logger.lines.findIndex((l) => l.includes('"performance.refreshed"'));
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(failed).toBeLessThan(succeeded);
    expect(sheets.tab('Performance')).toEqual(EXPECTED);
  });
});

describe('Performance refresh in local mode (paper broker, CSV sheet)', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when the paper broker traded, then the local Performance tab shows its round trips', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perf-local-'));
    const db = openDatabase(dir);
    let now = new Date('2025-10-10T16:00:00Z');
    const clock: Clock = { now: () => new Date(now), sleep: async () => {} };
    const broker = new PaperBroker(db, { clock });
    const order = (side: 'buy' | 'sell', qty: number, price: number, id: string) =>
      broker.submitOrder({ symbol: 'AAPL', side, qty, clientOrderId: id, referencePrice: price });
    await order('buy', 10, 100, 'a1');
    await order('sell', 10, 104.25, 'a2'); // +42.50
    await order('sell', 2, 105, 'a3'); // a short
    await order('buy', 2, 101, 'a4'); // +8.00
    await order('buy', 3, 102, 'a5'); // open, priced 102
    await broker.submitOrder({ symbol: 'MSFT', side: 'buy', notional: 1000, clientOrderId: 'm1', referencePrice: 400 });
    broker.recordPrice('MSFT', 380); // 2.5 shares, −$50.00
    now = new Date(NOW);
    const sheet = await LocalSheetStore.open(join(dir, 'sheet'));
    const logger = memoryLogger();
    const report = await createPerformanceRefresher({
      broker,
      history: broker,
      sheet,
      clock,
      logger,
      tab: 'Performance',
      windowDays: 30,
      timezone: 'America/Los_Angeles',
    }).refresh();
    const expected = [
      HEADER,
      ['AAPL', '2', '2', '0', '100.0%', '$50.50', '$25.25', '$42.50', '$8.00', '3', '$0.00', STAMP],
      ['MSFT', '0', '0', '0', '', '$0.00', '', '', '', '2.5', '-$50.00', STAMP],
      ['TOTAL', '2', '2', '0', '100.0%', '$50.50', '$25.25', '$42.50', '$8.00', '', '-$50.00', STAMP],
    ];
    expect(report.table).toEqual(expected);
    expect(await sheet.readTab('Performance')).toEqual(expected);
    db.close();
  });
});

/** Polls `check` every 20 ms for up to 5 s. */
async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met within 5 s');
}
