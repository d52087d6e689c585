/** What makes two alerts the same: (symbol, timeframe, action, id, time/timenow), over HTTP against the fakes. */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const hourAgo = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;
const bar = (minutes: number) => new Date(hourAgo + minutes * 60_000).toISOString();

describe('alert identity', () => {
  it(
    'when a strategy sends id "{{strategy.order.id}}" (Long / Exit on every ' +
      'trade), then every new entry trades and only a resend is a duplicate',
    async () => {
      stack = await startStack();
      const entry = (t: string) => ({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 'Long', time: t });
      const exit = (t: string) => ({ action: 'sell', market_position: 'flat', symbol: 'AAPL', timeframe: '15', id: 'Exit', time: t });
      expect((await stack.signal(entry(bar(0)))).body.status).toBe('ORDER SUBMITTED');
      expect((await stack.signal(entry(bar(0)))).body.status).toBe('duplicate');
      await stack.until(() => stack.alpaca.positions().length === 1, 'AAPL long');
      expect((await stack.signal(exit(bar(15)))).body.status).toBe('ORDER SUBMITTED');
      await stack.until(() => stack.alpaca.positions().length === 0, 'AAPL flat');
      expect((await stack.signal(entry(bar(30)))).body.status).toBe('ORDER SUBMITTED');
      expect(stack.orderLines()).toHaveLength(3);
    },
  );

  it('when an alert carries an id but no time, then it is recognised only within DEDUPE_WINDOW_SECONDS', async () => {
    stack = await startStack({ env: { DEDUPE_WINDOW_SECONDS: '1' } });
    stack.alpaca.setPosition('AAPL', 5, 180);
    const close = { action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'Exit' };
    expect((await stack.signal(close)).body.status).toBe('ORDER SUBMITTED');
    expect((await stack.signal(close)).body.status).toBe('duplicate');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await stack.signal(close)).body.status).toBe('WAITING');
    expect(stack.orderLines()).toEqual(['sell 5']);
  });
});
