/**
 * The Signals tab: one row per authenticated alert, written through the same
 * outbox batches as the statuses, updated in place when a fill arrives,
 * bounded, never a formula, and never lost to a Sheets outage.
 */
import { SIGNALS_COLUMNS } from '../../../src/domain/sheet/signal-row';
import { API_TOKEN, startStack, type Stack } from '../../support/stack';

jest.setTimeout(60_000);

let stack: Stack;
afterEach(async () => stack?.stop());

const signalsTab = () => (stack.sheets.tabs().includes('Signals') ? stack.sheets.tab('Signals') : []);
/** The data rows as header → cell maps. */
const logRows = () => {
  const [header, ...rows] = signalsTab();
  return rows.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ''])));
};
const writes = () => stack.sheets.requests.filter((r) => r.kind === 'write' && r.status === 200);

describe('Signals tab', () => {
  it(
    'when alerts of every kind arrive, then each gets one row, newest ' +
      'at the bottom, with its outcome, orders, fill, slippage and latency',
    async () => {
      stack = await startStack();
      stack.sheets.removeTab('Signals');
      const aaplBuy = {
        action: 'BUY',
        symbol: 'AAPL',
        timeframe: '15',
        price: '189.05',
        market_position: 'long',
        time: '2025-01-02T15:00:00Z',
      };
      const filled = await stack.signal(aaplBuy);
      expect(filled.body.status).toBe('ORDER SUBMITTED');
      await stack.signal(aaplBuy);
      await stack.signal({ action: 'BUY', symbol: 'NVDA', timeframe: '15', price: '120' });
      await stack.signal({ action: 'BUY', symbol: 'TSLA', timeframe: '15' });
      await stack.until(() => logRows().length === 4 && logRows()[0].outcome === 'FILLED', 'four rows, the first FILLED');

      expect(signalsTab()[0]).toEqual([...SIGNALS_COLUMNS]);
      const [buy, dup, ignored, inactive] = logRows();
      expect(buy).toMatchObject({
        symbol: 'AAPL',
        timeframe: '15',
        action: 'BUY',
        market_position: 'long',
        alert_price: '189.05',
        outcome: 'FILLED',
        fill_price: '190',
        signal_id: filled.body.signal_id,
      });
      expect(buy.order_ids).toBe(filled.body.order_ids.join(' '));
      // Bought at 190 against an alert at 189.05: 50.3 bps worse.
      expect(buy.slippage_bps).toBe('50.3');
      expect(Number(buy.latency_ms)).toBeGreaterThanOrEqual(0);
      expect(buy.time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T$/);
      expect(dup).toMatchObject({ symbol: 'AAPL', outcome: 'duplicate', order_ids: '', fill_price: '' });
      expect(ignored).toMatchObject({ symbol: 'NVDA', outcome: 'ignored', reason: 'no Config row for NVDA 15' });
      expect(inactive).toMatchObject({ symbol: 'TSLA', outcome: 'INACTIVE' });
      expect(stack.sheets.formulasWritten()).toEqual([]);
      // The missing tab was created before its first write, not discovered by a failed one.
      expect(stack.logs.join('\n')).toMatch(/signals.tab_created/);
      expect(stack.logs.join('\n')).not.toMatch(/status.flush_failed/);
    },
  );

  it('when an alert is stale or trading is halted, then its row says stale or halted, with the reason', async () => {
    stack = await startStack({ env: { MAX_SIGNAL_AGE_SECONDS: '60' } });
    const stale = await stack.signal({
      action: 'BUY',
      symbol: 'AAPL',
      timeframe: '15',
      timenow: new Date(Date.now() - 90_000).toISOString(),
    });
    expect(stale.body.status).toBe('stale');
    await stack.call('/halt', { method: 'POST', token: API_TOKEN });
    const halted = await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' });
    expect(halted.body.status).toBe('halted');
    await stack.until(() => logRows().length === 2, 'two rows');
    const [a, b] = logRows();
    expect([a.outcome, b.outcome]).toEqual(['stale', 'halted']);
    expect(a.reason).toMatch(/fired 90s ago/);
    expect(b.reason).toMatch(/halted/);
    expect(stack.alpaca.orders).toEqual([]);
  });

  it('when the fill arrives after the answer, then the same row is updated, not a new one added', async () => {
    stack = await startStack({ env: { FLIP_FILL_TIMEOUT_SECONDS: '1' } });
    stack.alpaca.setFillMode('manual');
    const res = await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', price: '409' });
    expect(res.body.status).toBe('ORDER SUBMITTED');
    await stack.until(() => logRows()[0]?.outcome === 'ORDER SUBMITTED', 'the row shows ORDER SUBMITTED');
    expect(logRows()[0].fill_price).toBe('');
    stack.alpaca.fillOpenOrders();
    await stack.until(() => logRows()[0]?.outcome === 'FILLED', 'the row shows FILLED', 30_000);
    expect(logRows()).toHaveLength(1);
    expect(logRows()[0]).toMatchObject({ fill_price: '410', order_ids: res.body.order_ids[0] });
  });

  it('when the secret is wrong, then the alert is not in the tab, only in the server log', async () => {
    stack = await startStack();
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', secret: 'wrong-secret-000' });
    expect(res.status).toBe(401);
    await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' });
    await stack.until(() => logRows().length === 1, 'the CLOSE row');
    expect(logRows().map((r) => r.symbol)).toEqual(['MSFT']);
    expect(stack.logs.join('\n')).toMatch(/webhook.rejected/);
  });

  it('when a field from outside looks like a formula, then it lands as plain text and no formula is written', async () => {
    stack = await startStack();
    // The broker's refusal text is the outside text that reaches the tab verbatim, as the row's reason.
    stack.alpaca.inject({
      method: 'POST',
      path: /^\/v2\/orders$/,
      status: 403,
      body: { code: 40310000, message: '=IMPORTXML("http://x","//a")' },
    });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.until(() => logRows().length === 1 && logRows()[0].outcome === 'FAILED', 'the FAILED row');
    expect(logRows()[0].reason).toContain('=IMPORTXML("http://x","//a")');
    expect(stack.sheets.formulasWritten()).toEqual([]);
    const option = (r: (typeof stack.sheets.requests)[number]) =>
      (r.body as { valueInputOption?: string }).valueInputOption ?? r.query.get('valueInputOption');
    expect(
      writes()
        .filter((r) => r.path.includes('/values'))
        .every((r) => option(r) === 'RAW'),
    ).toBe(true);
  });

  it('when 23 alerts arrive in a burst, then statuses and log rows together cost at most 12 Sheets writes', async () => {
    const symbols = ['AAPL', 'MSFT', 'SPY', 'QQQ', 'TSLA', 'NVDA', 'AMZN', 'META', 'GOOGL', 'AMD'];
    const config = [
      ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated'],
      ...symbols.flatMap((s) => ['15 Min', '1 Hour'].map((tf) => [s, '1000', 'TRUE', tf, 'READY', ''])),
    ];
    stack = await startStack({ config });
    const alerts = config.slice(1).map(([symbol, , , tf]) => ({ action: 'BUY', symbol, timeframe: tf }));
    alerts.push({ action: 'BUY', symbol: 'ZZZZ', timeframe: '15' }, { action: 'CLOSE', symbol: 'AAPL', timeframe: '5' }, alerts[0]);
    expect(alerts).toHaveLength(23);
    const answers = await Promise.all(alerts.map((a) => stack.signal(a)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await stack.until(
      () => logRows().length === 23 && logRows().every((r) => !['ORDER SUBMITTED', 'working', 'accepted'].includes(r.outcome)),
      '23 settled rows',
      30_000,
    );
    await stack.until(
      () => stack.row('GOOGL', '1 Hour')['Order Status'] !== 'READY' && stack.server.ctx.journal.pendingStatuses(1).length === 0,
      'statuses written',
    );
    expect(writes().length).toBeLessThanOrEqual(12);
    const outcomes = logRows().map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'FILLED').length).toBe(10);
    expect(outcomes.filter((o) => o === 'ALREADY LONG').length).toBe(10);
    expect(outcomes.filter((o) => o === 'ignored').length).toBe(2);
  });

  it('when Sheets is down during a burst, then log rows and statuses wait and all land once it is back', async () => {
    stack = await startStack();
    stack.sheets.inject({ status: 503, forMs: 4000 });
    const alerts = [
      { action: 'BUY', symbol: 'AAPL', timeframe: '15' },
      { action: 'SELL', symbol: 'MSFT', timeframe: '15' },
      { action: 'BUY', symbol: 'NVDA', timeframe: '15' },
      { action: 'BUY', symbol: 'AAPL', timeframe: '60' },
    ];
    // The first reads fail, so the alerts are FAILED "config unavailable"; what counts is that each is in the tab.
    const answers = await Promise.all(alerts.map((a) => stack.signal(a)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await stack.until(() => /status.flush_failed/.test(stack.logs.join('\n')), 'a failed flush');
    await stack.until(() => logRows().length === 4, 'four rows after the outage', 30_000);
    expect(
      logRows()
        .map((r) => `${r.symbol} ${r.timeframe}`)
        .sort(),
    ).toEqual(['AAPL 15', 'AAPL 60', 'MSFT 15', 'NVDA 15']);
    await stack.until(() => stack.row('MSFT', '15 Min')['Order Status'] !== 'READY', 'MSFT status');
  });

  it(
    'when more alerts arrive than SIGNALS_TAB_MAX_ROWS, then the oldest rows ' +
      'are trimmed in the same batched writes and the tab never grows past it',
    async () => {
      stack = await startStack({
        env: { SIGNALS_TAB_MAX_ROWS: '10' },
        config: [['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated']],
      });
      for (let i = 0; i < 25; i++) {
        await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: `alert-${i}` });
        if (i % 6 === 5)
          await stack.until(
            () => stack.server.ctx.journal.get('signals_tab') !== undefined && !stack.server.ctx.outbox['hasBacklog'](),
            'flushed',
          );
      }
      await stack.until(
        () =>
          logRows().length > 0 &&
          logRows()[logRows().length - 1].reason === 'no Config row for AAPL 15' &&
          !stack.server.ctx.outbox['hasBacklog'](),
        'all flushed',
      );
      const heights = stack.sheets.history('Signals').map((t) => t.length - 1);
      expect(Math.max(...heights)).toBeLessThanOrEqual(10);
      const ids = logRows().map((r) => r.signal_id);
      const newest = stack.server.ctx.journal
        .recentSignals({ limit: 25 })
        .map((s) => s.id)
        .reverse();
      expect(ids).toEqual(newest.slice(newest.length - ids.length));
      expect(ids.length).toBeGreaterThanOrEqual(9);
      // Trimming took no request of its own: every write to the tab is one of the outbox's values:batchUpdate.
      const toSignals = writes().filter((r) => JSON.stringify(r.body ?? '').includes("'Signals'!"));
      expect(toSignals.length).toBeGreaterThan(0);
      expect(toSignals.every((r) => r.path.endsWith('/values:batchUpdate'))).toBe(true);
    },
  );

  it('when the server restarts while Sheets is down, then the queued Signals rows are written after the restart', async () => {
    stack = await startStack({ env: { SHUTDOWN_TIMEOUT_SECONDS: '2' } });
    stack.sheets.inject({ method: 'POST', path: /values:batchUpdate/, status: 503, forMs: 4000 });
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    await stack.signal({ action: 'BUY', symbol: 'NVDA', timeframe: '15' });
    await stack.restart();
    await stack.until(() => logRows().length === 2, 'both rows after the restart', 30_000);
    expect(logRows().map((r) => [r.symbol, r.outcome])).toEqual([
      ['AAPL', 'WAITING'],
      ['NVDA', 'ignored'],
    ]);
  });

  it('when the Config tab has lost its header, then Signals rows still land while the statuses wait for it to be fixed', async () => {
    stack = await startStack();
    const config = stack.sheets.tab('Config');
    stack.sheets.setTab('Config', config.slice(1));
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body.status).toBe('FAILED');
    await stack.until(() => logRows()[0]?.outcome === 'FAILED', 'the Signals row');
    expect(logRows()[0].reason).toBe('config unavailable');
    expect(stack.server.ctx.journal.pendingStatuses(5)).toHaveLength(1);
    stack.sheets.setTab('Config', config);
    await stack.waitStatus('AAPL', '15 Min', 'FAILED', 20_000);
  });

  it('when the Signals tab is deleted by hand, then it is created again with its header and the log', async () => {
    stack = await startStack();
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    await stack.until(() => logRows().length === 1, 'first row');
    stack.sheets.removeTab('Signals');
    await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' });
    await stack.until(() => logRows().length === 2, 'tab recreated with both rows', 20_000);
    expect(signalsTab()[0]).toEqual([...SIGNALS_COLUMNS]);
  });
});

describe('Statuses land in the right row', () => {
  it('when the trader sorts the Config tab while a status waits out an outage, then FILLED lands in its own row', async () => {
    stack = await startStack();
    const header = stack.sheets.tab('Config')[0];
    // A first signal warms the Config copy that an older outbox would have trusted.
    await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' });
    await stack.waitStatus('MSFT', '15 Min', 'WAITING');
    stack.sheets.inject({ method: 'POST', path: /values:batchUpdate/, status: 503, forMs: 2500 });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    // Sort Z→A while the status waits: MSFT now sits where AAPL 15 Min was.
    const [, ...rows] = stack.sheets.tab('Config');
    stack.sheets.setTab('Config', [header, ...[...rows].sort((a, b) => b[0].localeCompare(a[0]) || a[3].localeCompare(b[3]))]);
    await stack.waitStatus('AAPL', '15 Min', 'FILLED', 20_000);
    expect(stack.row('MSFT', '15 Min')['Order Status']).toBe('WAITING');
    expect(stack.row('AAPL', '1 Hour')['Order Status']).toBe('READY');
  });

  it('when statuses are flushed, then each flush costs at most one Config read', async () => {
    stack = await startStack();
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    const readsBefore = stack.sheets.readCount;
    const flushesBefore = writes().length;
    stack.server.ctx.outbox.post('AAPL', '60m', 'WAITING');
    stack.server.ctx.outbox.post('MSFT', '15m', 'WAITING');
    await stack.waitStatus('MSFT', '15 Min', 'WAITING');
    await stack.until(() => !stack.server.ctx.outbox['hasBacklog'](), 'flushed');
    const flushes = writes().length - flushesBefore;
    expect(flushes).toBeGreaterThanOrEqual(1);
    expect(stack.sheets.readCount - readsBefore).toBeLessThanOrEqual(flushes);
  });
});
