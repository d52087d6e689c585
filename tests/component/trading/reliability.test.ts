/**
 * Fault scenarios of the signal path: each asserts the exact orders placed
 * and the final sheet state.
 */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const waitStatus = (symbol: string, tf: string, status: string) => stack.waitStatus(symbol, tf, status, 15_000);

describe('duplicates', () => {
  it('when the same alert (same timenow) comes again, even after a restart, then it trades once', async () => {
    stack = await startStack();
    const alert = { action: 'BUY', symbol: 'AAPL', timeframe: '15', timenow: new Date().toISOString() };
    expect((await stack.signal(alert)).body.status).toBe('ORDER SUBMITTED');
    expect((await stack.signal(alert)).body.status).toBe('duplicate');
    await waitStatus('AAPL', '15 Min', 'FILLED');
    await stack.restart();
    expect((await stack.signal(alert)).body.status).toBe('duplicate');
    expect(stack.orderLines()).toEqual(['buy $5000']);
  });

  it('when an identical alert without id or time repeats inside the window, then it is a duplicate; after it, a new alert', async () => {
    stack = await startStack({ env: { DEDUPE_WINDOW_SECONDS: '1' } });
    const alert = { action: 'CLOSE', symbol: 'AAPL', timeframe: '15' };
    stack.alpaca.setPosition('AAPL', 5, 180);
    expect((await stack.signal(alert)).body.status).toBe('ORDER SUBMITTED');
    expect((await stack.signal(alert)).body.status).toBe('duplicate');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await stack.signal(alert)).body.status).toBe('WAITING');
    expect(stack.orderLines()).toEqual(['sell 5']);
  });
});

describe('concurrency', () => {
  it(
    'when BUY, SELL and CLOSE for one symbol overlap, then orders follow ' +
      'arrival order: buy, flip to short, cover, and every row ends WAITING',
    async () => {
      stack = await startStack({ alpaca: { fillDelayMs: 150 } });
      const sends = [
        stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'c1' }),
        new Promise((r) => setTimeout(r, 20)).then(() => stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '1H', id: 'c2' })),
        new Promise((r) => setTimeout(r, 40)).then(() => stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'c3' })),
      ];
      await Promise.all(sends);
      await stack.until(
        () => stack.orderLines().length === 4 && stack.alpaca.positions().length === 0,
        'four orders and a flat book',
        15_000,
      );
      expect(stack.orderLines()).toEqual(['buy $5000', expect.stringMatching(/^sell 26\.3/), 'sell 26', 'buy 26']);
      await waitStatus('AAPL', '15 Min', 'WAITING');
      // The 15 Min CLOSE flattened the short the 1 Hour row opened: that row says so too.
      await waitStatus('AAPL', '1 Hour', 'WAITING');
    },
  );

  it('when two timeframes of one symbol BUY at once, then only one buys and the other is ALREADY LONG', async () => {
    stack = await startStack({ alpaca: { fillDelayMs: 100 } });
    const [a, b] = await Promise.all([
      stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'd1' }),
      stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '60', id: 'd2' }),
    ]);
    expect([a.body.status, b.body.status].sort()).toEqual(['ALREADY LONG', 'ORDER SUBMITTED']);
    expect(stack.orderLines()).toEqual(['buy $5000']);
  });

  it('when one symbol waits for a fill, then another symbol still trades to FILLED meanwhile (parallel symbols)', async () => {
    stack = await startStack();
    stack.alpaca.setFillMode('manual', 'AAPL');
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'p1' }); // AAPL's lock is held until this fills
    const msft = await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'p2' });
    expect(msft.body.status).toBe('ORDER SUBMITTED');
    await waitStatus('MSFT', '15 Min', 'FILLED');
    expect(stack.statusOf('AAPL', '15 Min')).toBe('ORDER SUBMITTED');
    stack.alpaca.fillOpenOrders();
    await waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['buy $5000', 'buy $5000']);
  });
});

describe('Google Sheets faults', () => {
  it('when Sheets answers 429 on writes for a while, then trading goes on and every status lands afterwards', async () => {
    stack = await startStack();
    stack.sheets.inject({ method: 'POST', path: /values:batchUpdate/, status: 429, forMs: 3000 });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' });
    expect(stack.orderLines()).toHaveLength(2);
    expect(stack.statusOf('AAPL', '15 Min')).toBe('READY');
    await waitStatus('AAPL', '15 Min', 'FILLED');
    await waitStatus('MSFT', '15 Min', 'FILLED');
    expect(stack.logs.join('\n')).toMatch(/status.flush_failed/);
  });

  it('when Sheets answers 500, then the outbox retries and the status lands', async () => {
    stack = await startStack();
    stack.sheets.inject({ method: 'POST', path: /values:batchUpdate/, status: 500, times: 2 });
    await stack.signal({ action: 'SELL', symbol: 'MSFT', timeframe: '15' });
    await waitStatus('MSFT', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['sell 12']);
  });

  it(
    'when the Config cannot be read and no copy is young enough, ' + 'then nothing trades and the signal is FAILED "config unavailable"',
    async () => {
      stack = await startStack();
      stack.sheets.inject({ method: 'GET', path: /values/, status: 500, forMs: 60_000 });
      const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
      expect(res.body).toMatchObject({ status: 'FAILED', reason: 'config unavailable' });
      expect(stack.orderLines()).toEqual([]);
    },
  );

  it('when a Config read fails but a young copy exists, then the signal trades on that copy', async () => {
    stack = await startStack();
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    stack.sheets.inject({ method: 'GET', path: /values/, status: 500, forMs: 60_000 });
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect(stack.orderLines()).toEqual(['buy $5000']);
  });
});

describe('Alpaca faults', () => {
  it('when the order POST is applied but the connection drops, then the bot finds it by client id and sends nothing twice', async () => {
    stack = await startStack();
    stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, afterApplying: true, hangUp: true });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body.status).toBe('ORDER SUBMITTED');
    await waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['buy $5000']);
    expect(stack.alpaca.requests.some((r) => r.path === '/v2/orders:by_client_order_id')).toBe(true);
  });

  it('when the order POST answers 500 after being applied, then there is still exactly one order', async () => {
    stack = await startStack();
    stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, afterApplying: true, status: 500 });
    await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    await waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['sell 26']);
  });

  it('when the order POST fails before reaching Alpaca, then it is sent again with the same client id and placed once', async () => {
    stack = await startStack();
    stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, status: 503 });
    await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' });
    await waitStatus('MSFT', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['buy $5000']);
    const posts = stack.alpaca.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders');
    expect(new Set(posts.map((p) => (p.body as { client_order_id: string }).client_order_id)).size).toBe(1);
  });
});

describe('an order whose outcome stayed unknown', () => {
  it(
    'when Alpaca placed it but every answer and look-up failed, then ' + 'a later pass finds it and the row ends FILLED, with one order',
    async () => {
      const { resumeStrandedOrders } = await import('../../../src/app/orders/stranded-orders');
      stack = await startStack({ env: { ORDER_EVENTS: 'polling' } }); // no stream to tell of the fill: only a later look-up can
      stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, afterApplying: true, hangUp: true, times: 3 });
      stack.alpaca.inject({ method: 'GET', path: /by_client_order_id/, status: 500, times: 50 });
      const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
      expect(['accepted', 'FAILED']).toContain(res.body.status); // the retries outlast the answer deadline
      await waitStatus('AAPL', '15 Min', 'FAILED');
      expect(stack.logs.join('\n')).toMatch(/outcome unknown/);
      stack.alpaca.clearFaults();
      expect(await resumeStrandedOrders(stack.server.ctx, 0)).toBe(1);
      await waitStatus('AAPL', '15 Min', 'FILLED');
      expect(stack.orderLines()).toEqual(['buy $5000']);
    },
  );
});

describe('an order whose answer was lost, with the order stream up', () => {
  it(
    'when Alpaca placed it but every answer and look-up failed, then the ' +
      "stream's fill event settles it: the row ends FILLED, with one order",
    async () => {
      stack = await startStack();
      stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, afterApplying: true, hangUp: true, times: 3 });
      stack.alpaca.inject({ method: 'GET', path: /by_client_order_id/, status: 500, times: 50 });
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
      await waitStatus('AAPL', '15 Min', 'FILLED');
      expect(stack.orderLines()).toEqual(['buy $5000']);
    },
  );
});
