/**
 * Strategy alerts as TradingView's strategies really send them, and the
 * row's direction: the account follows market_position, not the action word.
 */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'direction', 'Order Status', 'Reason'];
const config = (...rows: string[][]) => [HEADER, ...rows];
const strategy = (action: string, market_position: string, extra: Record<string, unknown> = {}) => ({
  action,
  symbol: 'AAPL',
  timeframe: '15',
  market_position,
  ...extra,
});

describe('strategy intent', () => {
  it(
    'when a long-only strategy exits with "sell" and market_position flat, ' +
      'then the long is closed, no short opens, and the row shows WAITING',
    async () => {
      stack = await startStack({ config: config(['AAPL', '5000', 'TRUE', '15 Min', '', '', '']) });
      stack.alpaca.setPosition('AAPL', 10, 180);
      const res = await stack.signal(strategy('sell', 'flat', { id: 'x1' }));
      expect(res.body).toMatchObject({ status: 'ORDER SUBMITTED', action: 'close' });
      await stack.waitStatus('AAPL', '15 Min', 'WAITING');
      expect(stack.orderLines()).toEqual(['sell 10']);
      expect(stack.alpaca.positions()).toEqual([]);
    },
  );

  it('when strategy.exit(qty_percent=50) sends "sell" while still long, then half the long is sold and the rest stays', async () => {
    stack = await startStack({ config: config(['AAPL', '5000', 'TRUE', '15 Min', '', '', '']) });
    stack.alpaca.setPosition('AAPL', 26, 190);
    await stack.signal(
      strategy('sell', 'long', { market_position_size: '50', prev_market_position_size: '100', prev_market_position: 'long', id: 'x2' }),
    );
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['sell 13']);
    expect(stack.brokerQty('AAPL')).toBe(13);
  });

  it('when a pyramiding strategy adds with "buy" while long, then it buys the difference instead of answering ALREADY LONG', async () => {
    stack = await startStack({ config: config(['AAPL', '5000', 'TRUE', '15 Min', '', '', '']) });
    stack.alpaca.setPosition('AAPL', 10, 190);
    const res = await stack.signal(strategy('buy', 'long', { market_position_size: '3', prev_market_position_size: '2', id: 'x3' }));
    expect(res.body).toMatchObject({ status: 'ORDER SUBMITTED', qty: 5 });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.brokerQty('AAPL')).toBe(15);
  });

  it("when a short is reduced, then it buys back whole shares that never pass the strategy's size", async () => {
    stack = await startStack({ config: config(['AAPL', '5000', 'TRUE', '15 Min', '', '', '']) });
    stack.alpaca.setPosition('AAPL', -7, 190);
    await stack.signal(strategy('buy', 'short', { market_position_size: '1', prev_market_position_size: '2', id: 'x4' }));
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['buy 3']);
    expect(stack.brokerQty('AAPL')).toBe(-4);
  });

  it('when the same side comes without sizes, then it is ALREADY LONG as before', async () => {
    stack = await startStack({ config: config(['AAPL', '5000', 'TRUE', '15 Min', '', '', '']) });
    stack.alpaca.setPosition('AAPL', 10, 190);
    expect((await stack.signal(strategy('buy', 'long', { id: 'x5' }))).body.status).toBe('ALREADY LONG');
    expect(stack.orderLines()).toEqual([]);
  });

  it("when TradersPost's sentiment is bearish while flat, then it shorts whatever the action word", async () => {
    stack = await startStack({ config: config(['AAPL', '5000', 'TRUE', '15 Min', '', '', '']) });
    await stack.signal({ action: 'buy', ticker: 'AAPL', interval: '15', sentiment: 'bearish', id: 'x6' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['sell 26']);
  });

  it('when market_position, sentiment or a size is outside the vocabulary, then 400 names the field and nothing trades', async () => {
    stack = await startStack({ config: config(['AAPL', '5000', 'TRUE', '15 Min', '', '', '']) });
    const bad = [
      [{ market_position: 'sideways' }, /market_position "sideways"/],
      [{ sentiment: 'meh' }, /sentiment "meh"/],
      [{ market_position: 'long', market_position_size: '-5' }, /market_position_size "-5"/],
      [{ market_position: 'long', prev_market_position_size: 'lots' }, /prev_market_position_size "lots"/],
      [{ market_position: 'long', prev_market_position: 'up' }, /prev_market_position "up"/],
    ] as const;
    for (const [fields, error] of bad) {
      const res = await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', ...fields });
      expect(res).toMatchObject({ status: 400, body: { error: expect.stringMatching(error) } });
    }
    expect(stack.alpaca.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('the row direction', () => {
  const rows = config(
    ['AAPL', '5000', 'TRUE', '15 Min', 'Long Only', '', ''],
    ['MSFT', '5000', 'TRUE', '15 Min', 'short_only', '', ''],
    ['AAPL', '5000', 'TRUE', '1 Hour', 'sideways', '', ''],
  );

  it('when a long-only row gets a SELL while long, then the long is closed, nothing is shorted, and the row shows WAITING', async () => {
    stack = await startStack({ config: rows });
    stack.alpaca.setPosition('AAPL', 10, 180);
    await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(stack.orderLines()).toEqual(['sell 10']);
    expect(stack.alpaca.positions()).toEqual([]);
  });

  it('when a long-only row gets a SELL while flat, then nothing is sent and the row shows WAITING "long only"', async () => {
    stack = await startStack({ config: rows });
    expect((await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
      status: 'WAITING',
      reason: 'long only',
    });
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(stack.row('AAPL', '15 Min').Reason).toBe('long only');
    expect(stack.orderLines()).toEqual([]);
  });

  it('when a short-only row gets a BUY, then it is the mirror image: it covers a short and never buys a long', async () => {
    stack = await startStack({ config: rows });
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'm1' })).body).toMatchObject({
      status: 'WAITING',
      reason: 'short only',
    });
    stack.alpaca.setPosition('MSFT', -5, 410);
    await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'm2' });
    await stack.waitStatus('MSFT', '15 Min', 'WAITING');
    expect(stack.orderLines()).toEqual(['buy 5']);
  });

  it('when the direction is not a known value, then the row is FAILED with the reason and nothing opens', async () => {
    stack = await startStack({ config: rows });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '1H' });
    expect(res.body).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/direction "sideways" must be blank, both, long only or short only/),
    });
    await stack.waitStatus('AAPL', '1 Hour', 'FAILED');
    expect(stack.orderLines()).toEqual([]);
  });
});
