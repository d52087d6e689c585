/** Restarts settle from the journal: what the broker did is what the row shows, whatever the Config says at restart. */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const statuses = () => stack.sheets.history('Config').map((rows) => rows.find((r) => r[0] === 'AAPL' && r[3] === '15 Min')?.[4]);

describe('restart while an order is working', () => {
  it(
    'when the order fills while the bot is down and the Config cannot ' + 'be read at restart, then the row ends FILLED and never FAILED',
    async () => {
      stack = await startStack({ alpaca: { fill: 'manual' }, env: { FLIP_FILL_TIMEOUT_SECONDS: '1', SHUTDOWN_TIMEOUT_SECONDS: '1' } });
      const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
      expect(res.body.status).toBe('ORDER SUBMITTED');
      await new Promise((r) => setTimeout(r, 1200)); // past the fill wait: the order is followed in the background
      await stack.restart({}, () => {
        stack.alpaca.fillOpenOrders();
        stack.sheets.inject({ method: 'GET', path: /values/, status: 500, forMs: 4000 });
      });
      await stack.until(() => stack.server.ctx.journal.getSignal(res.body.signal_id)?.status === 'FILLED', 'FILLED in the journal');
      await stack.waitStatus('AAPL', '15 Min', 'FILLED', 15_000);
      expect(statuses()).not.toContain('FAILED');
      expect(stack.alpaca.orders).toHaveLength(1);
    },
  );

  it(
    "when a flip's close fills while the bot is down and the Config cannot " +
      'be read at restart, then the flip completes from the journaled size',
    async () => {
      stack = await startStack({ alpaca: { fill: 'manual' }, env: { FLIP_FILL_TIMEOUT_SECONDS: '1', SHUTDOWN_TIMEOUT_SECONDS: '1' } });
      stack.alpaca.setPosition('AAPL', 3, 180);
      expect((await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
      await new Promise((r) => setTimeout(r, 1200));
      await stack.restart({}, () => {
        stack.alpaca.fillOpenOrders();
        stack.alpaca.setFillMode('immediate');
        stack.sheets.inject({ method: 'GET', path: /values/, status: 500, forMs: 4000 });
      });
      await stack.until(() => stack.alpaca.orders.length === 2, 'the opening short');
      expect(stack.alpaca.orders.map((o) => `${o.side} ${o.qty}`)).toEqual(['sell 3', 'sell 26']);
      await stack.waitStatus('AAPL', '15 Min', 'FILLED', 15_000);
      expect(statuses()).not.toContain('FAILED');
    },
  );
});
