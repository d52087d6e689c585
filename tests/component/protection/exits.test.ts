/**
 * Exits are never blocked, and a halt or POST /flatten reaches work already
 * under way: the opening leg of a flip re-checks them just before it is sent.
 */
import { API_TOKEN, startGuarded, type GuardedStack } from '../../support/guarded-stack';

let stack: GuardedStack;
afterEach(async () => stack?.stop());

const SELL = { action: 'SELL', symbol: 'AAPL', timeframe: '15' };

describe('exits are never blocked', () => {
  it(
    'when the loss breaker is tripped and a SELL reverses a long, ' + 'then the long is closed, no short opens, and the row is HALTED',
    async () => {
      stack = await startGuarded({ env: { MAX_DAILY_LOSS_PCT: '1' } });
      stack.alpaca.setPosition('AAPL', 10, 300);
      stack.alpaca.setAccount({ cash: 98_000, lastEquity: 101_000 });
      const res = await stack.signal(SELL);
      expect(res.body).toMatchObject({
        status: 'halted',
        reason: expect.stringMatching(/^daily loss breaker/),
        order_ids: [expect.any(String)],
      });
      await stack.waitStatus('AAPL', '15 Min', 'HALTED');
      expect(stack.orderLines()).toEqual(['sell 10']);
      expect(stack.alpaca.positions()).toEqual([]);
    },
  );

  it(
    'when the Config cannot be read, then a CLOSE still trades, and ' + 'a reversal closes but does not open (FAILED "config unavailable")',
    async () => {
      stack = await startGuarded();
      stack.alpaca.setPosition('AAPL', 10, 180);
      stack.alpaca.setPosition('MSFT', 4, 400);
      stack.sheets.inject({ method: 'GET', path: /values/, status: 500, forMs: 60_000 });
      expect((await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
      const res = await stack.signal(SELL);
      expect(res.body).toMatchObject({ status: 'FAILED', reason: 'config unavailable; closing the position' });
      await stack.until(() => stack.alpaca.positions().length === 0, 'both positions closed');
      expect(stack.orderLines()).toEqual(['sell 4', 'sell 10']);
      expect((await stack.signal({ action: 'BUY', symbol: 'NVDA', timeframe: '15' })).body).toMatchObject({
        status: 'FAILED',
        reason: 'config unavailable',
      });
      expect(stack.orderLines()).toHaveLength(2);
    },
  );
});

describe('halt and flatten reach a flip under way', () => {
  it(
    'when trading is halted while a flip waits for its close to ' + 'fill, then the opening leg is never sent and the row is HALTED',
    async () => {
      stack = await startGuarded({ alpaca: { fill: 'manual' } });
      stack.alpaca.setPosition('AAPL', 3, 180);
      expect((await stack.signal(SELL)).body.status).toBe('ORDER SUBMITTED'); // the entry passed every check when planned
      await stack.call('/halt', { method: 'POST', token: API_TOKEN });
      stack.alpaca.fillOpenOrders();
      await stack.waitStatus('AAPL', '15 Min', 'HALTED');
      expect(stack.orderLines()).toEqual(['sell 3']);
      expect(stack.alpaca.positions()).toEqual([]);
      expect(stack.logs.join('\n')).toMatch(/order.refused_before_send/);
    },
  );

  it(
    'when POST /flatten comes while a flip waits for its close, and the ' +
      'close fills meanwhile, then no short is ever sent and the book ends flat',
    async () => {
      stack = await startGuarded({ alpaca: { fill: 'manual' } });
      stack.alpaca.setPosition('AAPL', 3, 180);
      await stack.signal(SELL);
      stack.alpaca.inject({ method: 'DELETE', path: /^\/v2\/orders$/, delayMs: 1500 }); // flatten's cancel is slow…
      const flatten = stack.call('/flatten', { method: 'POST', token: API_TOKEN });
      await new Promise((r) => setTimeout(r, 300));
      stack.alpaca.fillOpenOrders(); // …and the flip's close fills before it lands
      stack.alpaca.setFillMode('immediate');
      expect((await flatten).body).toMatchObject({ status: 'flattened', halt: { halted: true } });
      await new Promise((r) => setTimeout(r, 2500)); // longer than the flip's poll
      expect(stack.orderLines()).toEqual(['sell 3']);
      expect(stack.alpaca.positions()).toEqual([]);
      expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('halted');
    },
  );
});
