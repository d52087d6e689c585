/**
 * The server as a real process: killed mid-flip and restarted, and stopped
 * with SIGTERM while an order is in flight.
 */
import { startChildServer } from '../support/child-server';
import { SECRET, startStack, type Stack } from '../support/stack';

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
