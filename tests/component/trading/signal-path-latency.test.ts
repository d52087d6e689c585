/**
 * The lean signal path, end to end against the fakes: the Config and the
 * position are read side by side, asset facts are read once a trading day,
 * and an alert that won't trade never waits for its symbol's queue.
 */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const assetReads = (symbol: string) => stack.alpaca.requests.filter((r) => r.method === 'GET' && r.path === `/v2/assets/${symbol}`).length;

describe('reads side by side', () => {
  it('when a signal arrives, then its position is read while the Config read is still in flight, and the order follows both', async () => {
    stack = await startStack({ sheets: { latencyMs: 400 } });
    const sentAt = Date.now();
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body.status).toBe('ORDER SUBMITTED');
    const configRead = stack.sheets.requests.find(
      (r) => r.method === 'GET' && decodeURIComponent(r.path).endsWith("/values/'Config'") && r.at >= sentAt,
    )!;
    const positionRead = stack.alpaca.requests.find(
      (r) => r.method === 'GET' && r.path === '/v2/positions/AAPL' && r.time.getTime() >= sentAt,
    )!;
    const order = stack.alpaca.requests.find((r) => r.method === 'POST' && r.path === '/v2/orders')!;
    // The Config answer comes 400 ms after its request; the position was asked for well before that.
    expect(positionRead.time.getTime()).toBeLessThan(configRead.at + 400);
    expect(order.time.getTime()).toBeGreaterThanOrEqual(configRead.at + 400);
  });

  it('when an alert has no row while its symbol waits for a fill, then it is answered at once, not after the fill', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' }, env: { FLIP_FILL_TIMEOUT_SECONDS: '30' } });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    // The BUY holds AAPL's queue until its order fills; an alert for an AAPL timeframe with no row must not wait for it.
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '5' });
    expect(res.body.status).toBe('ignored');
    expect(stack.alpaca.orders.filter((o) => o.status === 'filled')).toHaveLength(0);
    stack.alpaca.fillOpenOrders();
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
  });

  it('when alerts for one symbol arrive together, then they trade in arrival order, each planning on the one before', async () => {
    stack = await startStack({ sheets: { latencyMs: 200 } });
    const pause = () => new Promise((r) => setTimeout(r, 30));
    // Each is sent before the one ahead of it is answered, so all three wait on the same Config read.
    const a = stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'a' });
    await pause();
    const b = stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '1 Hour', id: 'b' });
    await pause();
    const c = stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'c' });
    const [first, second, third] = await Promise.all([a, b, c]);
    expect([first.body.status, second.body.status, third.body.status]).toEqual(['ORDER SUBMITTED', 'ALREADY LONG', 'ORDER SUBMITTED']);
    expect(stack.alpaca.orders.map((o) => o.side)).toEqual(['buy', 'sell']);
    await stack.until(() => stack.alpaca.positions().length === 0, 'flat after the CLOSE');
  });
});

describe('the answer deadline', () => {
  it(
    'when the Config read outlasts ANSWER_DEADLINE_MS, then TradingView ' + 'is answered accepted in time, and the trade still completes',
    async () => {
      stack = await startStack({ sheets: { latencyMs: 800 }, env: { ANSWER_DEADLINE_MS: '300' } });
      const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
      // `accepted` can only come from the deadline: the trade's own outcome would be ORDER SUBMITTED.
      expect(res.body).toMatchObject({ status: 'accepted', signal_id: expect.any(String) });
      await stack.waitStatus('AAPL', '15 Min', 'FILLED');
      expect(stack.alpaca.orders).toHaveLength(1);
    },
  );
});

describe('read ahead, so the first signal of the day waits for nothing more', () => {
  const assetReadsSince = (from: number) => stack.alpaca.requests.slice(from).filter((r) => r.path.startsWith('/v2/assets/'));

  it(
    "when the server has started, then the asset facts of every active row's " +
      "symbol are read before any signal, and a symbol's first signal reads none",
    async () => {
      stack = await startStack();
      await stack.until(() => ['AAPL', 'MSFT'].every((s) => assetReads(s) === 1), 'the assets of the active rows');
      expect(assetReads('TSLA')).toBe(0); // its only row is inactive
      const from = stack.alpaca.requests.length;
      expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
      await stack.waitStatus('MSFT', '15 Min', 'FILLED');
      expect(assetReadsSince(from)).toEqual([]);
    },
  );

  it('when a symbol is added to the Config, then the next Config read reads its facts, before its first signal', async () => {
    stack = await startStack();
    await stack.until(() => assetReads('MSFT') === 1, 'the start-up read ahead');
    stack.sheets.setTab('Config', [...stack.sheets.tab('Config'), ['SPY', '$5,000', 'TRUE', '15 Min', 'READY', '']]);
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' }); // any Config read will do
    await stack.until(() => assetReads('SPY') === 1, "SPY's facts");
    const from = stack.alpaca.requests.length;
    expect((await stack.signal({ action: 'BUY', symbol: 'SPY', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect(assetReadsSince(from)).toEqual([]);
  });

  it('when a signal arrives, then the market clock is read while its Config read is still in flight', async () => {
    stack = await startStack({ sheets: { latencyMs: 400 } });
    const sentAt = Date.now();
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    const configRead = stack.sheets.requests.find(
      (r) => r.method === 'GET' && decodeURIComponent(r.path).endsWith("/values/'Config'") && r.at >= sentAt,
    )!;
    const clockReads = stack.alpaca.requests.filter((r) => r.path === '/v2/clock' && r.time.getTime() >= sentAt);
    expect(clockReads).toHaveLength(1);
    // The Config answer comes 400 ms after its request; the clock was asked for well before that.
    expect(clockReads[0].time.getTime()).toBeLessThan(configRead.at + 400);
  });
});

describe('asset facts for the trading day', () => {
  it('when a symbol trades again the same day, then its asset is not read again', async () => {
    stack = await startStack();
    await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'm1' });
    await stack.waitStatus('MSFT', '15 Min', 'FILLED');
    await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15', id: 'm2' });
    await stack.waitStatus('MSFT', '15 Min', 'WAITING');
    await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'm3' });
    await stack.waitStatus('MSFT', '15 Min', 'FILLED');
    expect(assetReads('MSFT')).toBe(1);
  });

  it(
    'when Alpaca refuses because an asset stopped being fractionable, then the ' +
      'row says so and the next signal reads the asset again and buys whole shares',
    async () => {
      stack = await startStack();
      await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'f1' });
      await stack.waitStatus('MSFT', '15 Min', 'FILLED');
      await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15', id: 'f2' });
      await stack.waitStatus('MSFT', '15 Min', 'WAITING');
      stack.alpaca.setAsset('MSFT', { fractionable: false });

      const refused = await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'f3' });
      expect(refused.body).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/not fractionable/) });
      expect(stack.logs.join('\n')).toMatch(/asset\.changed/);

      const retried = await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'f4' });
      expect(retried.body.status).toBe('ORDER SUBMITTED');
      expect(stack.alpaca.orders.at(-1)).toMatchObject({ side: 'buy', qty: '12' }); // floor(5000 / 410), no notional
      expect(assetReads('MSFT')).toBe(2);
    },
  );
});
