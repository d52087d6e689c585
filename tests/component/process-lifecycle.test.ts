/**
 * The server as a real process: killed mid-flip and restarted, and stopped
 * with SIGTERM while an order is in flight.
 */
import { startChildServer } from '../support/child-server';
import { DEFAULT_CONFIG, SECRET, startStack, type Stack } from '../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const post = (url: string, body: Record<string, unknown>) =>
  fetch(`${url}/webhook`, { method: 'POST', body: JSON.stringify({ secret: SECRET, ...body }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const orders = () => stack.alpaca.orders.map((o) => `${o.side} ${o.qty ?? '$' + o.notional}`);

describe('a process killed during a flip', () => {
  it('when restarted, then the flip whose close filled is completed and the row shows FILLED', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' } });
    await stack.server.shutdown(); // the in-process server steps aside; a real process takes its place
    stack.alpaca.setPosition('AAPL', 3, 180);
    const first = await startChildServer(stack.env);
    const res = await post(first.url, { action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    expect(res.body.status).toBe('ORDER SUBMITTED');
    expect(orders()).toEqual(['sell 3']);
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    stack.alpaca.fillOpenOrders(); // the close fills while the bot is down
    stack.alpaca.setFillMode('immediate');
    const second = await startChildServer(stack.env);
    try {
      await stack.until(() => orders().length === 2, 'the opening short after restart', 15_000);
      expect(orders()).toEqual(['sell 3', 'sell 26']);
      await stack.until(() => stack.row('AAPL', '15 Min')['Order Status'] === 'FILLED', 'FILLED in the sheet', 15_000);
    } finally {
      second.kill('SIGTERM');
      await second.exited;
    }
  });

  it('when restarted too late, then the half-done flip is FAILED with the reason and nothing more is sent', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' }, env: { FLIP_RESUME_MAX_AGE_SECONDS: '0' } });
    await stack.server.shutdown();
    stack.alpaca.setPosition('AAPL', 3, 180);
    const first = await startChildServer(stack.env);
    await post(first.url, { action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    first.kill('SIGKILL');
    await first.exited;
    stack.alpaca.fillOpenOrders();
    const second = await startChildServer(stack.env);
    try {
      await stack.until(() => stack.row('AAPL', '15 Min')['Order Status'] === 'FAILED', 'FAILED in the sheet', 15_000);
      expect(orders()).toEqual(['sell 3']);
      expect(second.output()).toMatch(/flip not completed/);
    } finally {
      second.kill('SIGTERM');
      await second.exited;
    }
  });
});

describe('a process killed between the legs of a flip', () => {
  it("when the opening order's POST never reached Alpaca before the kill, then the young flip is completed after the restart, not FAILED", async () => {
    stack = await startStack({ alpaca: { fill: 'manual' } });
    await stack.server.shutdown();
    stack.alpaca.setPosition('AAPL', 3, 180);
    const first = await startChildServer(stack.env);
    expect((await post(first.url, { action: 'SELL', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, hang: true }); // the opening leg's POST never arrives
    stack.alpaca.fillOpenOrders();
    const posts = () => stack.alpaca.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders').length;
    await stack.until(() => posts() === 2, 'the opening leg on its way', 15_000);
    first.kill('SIGKILL');
    await first.exited;
    stack.alpaca.clearFaults();
    stack.alpaca.setFillMode('immediate');
    const second = await startChildServer(stack.env);
    try {
      await stack.until(() => stack.row('AAPL', '15 Min')['Order Status'] === 'FILLED', 'FILLED in the sheet', 15_000);
      expect(orders()).toEqual(['sell 3', 'sell 26']);
      expect(stack.alpaca.positions()).toEqual([expect.objectContaining({ symbol: 'AAPL', qty: '-26' })]);
    } finally {
      second.kill('SIGTERM');
      await second.exited;
    }
  });

  it('when the row is switched off while the bot is down and the close filled, then recovery settles from the journal: the flip completes, never FAILED', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' } });
    await stack.server.shutdown();
    stack.alpaca.setPosition('AAPL', 3, 180);
    const first = await startChildServer(stack.env);
    await post(first.url, { action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    first.kill('SIGKILL');
    await first.exited;
    stack.sheets.setTab('Config', DEFAULT_CONFIG.map((r) => (r[0] === 'AAPL' && r[3] === '15 Min' ? [r[0], r[1], 'FALSE', ...r.slice(3)] : r)));
    stack.alpaca.fillOpenOrders();
    stack.alpaca.setFillMode('immediate');
    const second = await startChildServer(stack.env);
    try {
      await stack.until(() => stack.row('AAPL', '15 Min')['Order Status'] === 'FILLED', 'FILLED in the sheet', 15_000);
      expect(orders()).toEqual(['sell 3', 'sell 26']);
    } finally {
      second.kill('SIGTERM');
      await second.exited;
    }
  });
});

describe('SIGTERM', () => {
  it('when an order is in flight, then the process lets it settle, flushes the status and exits 0', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' } });
    await stack.server.shutdown();
    const child = await startChildServer({ ...stack.env, SHUTDOWN_TIMEOUT_SECONDS: '10' });
    const res = await post(child.url, { action: 'BUY', symbol: 'MSFT', timeframe: '15' });
    expect(res.body.status).toBe('ORDER SUBMITTED');
    child.kill('SIGTERM');
    setTimeout(() => stack.alpaca.fillOpenOrders(), 300);
    expect(await child.exited).toBe(0);
    expect(stack.row('MSFT', '15 Min')['Order Status']).toBe('FILLED');
    expect(child.output()).toMatch(/"event":"server.stopped","outbox_flushed":true/);
    const late = await fetch(`${child.url}/health`).catch(() => 'refused');
    expect(late).toBe('refused');
  });
});
