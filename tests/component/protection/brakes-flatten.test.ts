/** POST /flatten against a book with longs, shorts and open orders. */
import { API_TOKEN, startGuarded, type GuardedStack } from '../../support/guarded-stack';
import { placeByHand } from '../../support/alpaca-broker';

let stack: GuardedStack;
afterEach(async () => stack?.stop());

async function book(): Promise<void> {
  stack.alpaca.setPosition('AAPL', 10, 180);
  stack.alpaca.setPosition('MSFT', -5, 420);
  stack.alpaca.setPrice('NVDA', 120);
  stack.alpaca.setFillMode('manual', 'NVDA');
  stack.alpaca.setFillMode('manual', 'TSLA');
  await placeByHand(stack.alpaca, 'NVDA', 'buy', 3);
  await placeByHand(stack.alpaca, 'TSLA', 'sell', 2);
}

describe('flatten', () => {
  it('when flattened, then open orders are cancelled, longs sold, shorts bought back, trading halted, active rows WAITING', async () => {
    stack = await startGuarded();
    await book();
    const res = await stack.call('/flatten', { method: 'POST', token: API_TOKEN });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'flattened',
      halt: { halted: true, reason: 'flatten' },
      cancelled_orders: 2,
      failed: [],
      remaining: [],
    });
    expect(res.body.closed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ symbol: 'AAPL', side: 'sell', qty: 10, state: 'filled' }),
        expect.objectContaining({ symbol: 'MSFT', side: 'buy', qty: 5, state: 'filled' }),
      ]),
    );
    // TSLA had an order cancelled, but its row is inactive and keeps saying so.
    expect(res.body.rows_waiting.sort()).toEqual(['AAPL 1 Hour', 'AAPL 15 Min', 'MSFT 15 Min']);
    expect(stack.alpaca.positions()).toEqual([]);
    const byHand = stack.alpaca.orders.filter((o) => ['NVDA', 'TSLA'].includes(String(o.symbol)));
    expect(byHand.map((o) => o.status)).toEqual(['canceled', 'canceled']);
    for (const tf of ['15 Min', '1 Hour']) {
      await stack.waitStatus('AAPL', tf, 'WAITING');
    }
    await stack.waitStatus('MSFT', '15 Min', 'WAITING');
    const before = stack.alpaca.orders.length;
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(before);
  });

  it('when the book is already flat, then flatten still halts and reports nothing to do', async () => {
    stack = await startGuarded();
    const res = await stack.call('/flatten', { method: 'POST', token: API_TOKEN });
    expect(res.body).toMatchObject({ status: 'flattened', cancelled_orders: 0, closed: [], rows_waiting: [], halt: { halted: true } });
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when a close is refused by the broker, then the report says so with 502 and what remains', async () => {
    stack = await startGuarded();
    await book();
    stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, status: 403, body: { code: 40310000, message: 'trading is suspended' } });
    const res = await stack.call('/flatten', { method: 'POST', token: API_TOKEN });
    expect(res.status).toBe(502);
    expect(res.body.status).toBe('incomplete');
    expect(res.body.failed).toEqual([expect.objectContaining({ reason: 'trading is suspended' })]);
    expect(res.body.remaining).toHaveLength(1);
  });

  it('when /flatten comes without the token, then nothing is cancelled or closed', async () => {
    stack = await startGuarded();
    await book();
    expect((await stack.call('/flatten', { method: 'POST' })).status).toBe(401);
    expect(stack.alpaca.positions()).toHaveLength(2);
    expect(stack.alpaca.orders.map((o) => o.status)).toEqual([
      expect.stringMatching(/^(accepted|new)$/),
      expect.stringMatching(/^(accepted|new)$/),
    ]);
  });
});
