/** The size cap, stale signals and market hours: each proves that no order reaches the broker. */
import { shiftedClock, startGuarded, type GuardedStack } from '../../support/guarded-stack';

let stack: GuardedStack;
afterEach(async () => stack?.stop());

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

describe('size cap', () => {
  it('when the opening order is worth more than MAX_POSITION_USD, then FAILED with the reason and nothing is sent', async () => {
    stack = await startGuarded({ env: { MAX_POSITION_USD: '4999.99' } });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'FAILED', reason: 'order of $5,000 is over MAX_POSITION_USD $4,999.99' });
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('AAPL', '15 Min', 'FAILED');
  });

  it(
    'when a short of the row size is worth less than the cap at ' + 'the latest price, then it trades: the order is what is bounded',
    async () => {
      stack = await startGuarded({ env: { MAX_POSITION_USD: '4999.99' } });
      expect((await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
        status: 'ORDER SUBMITTED',
        qty: 26,
      }); // 26 × $190 = $4,940
    },
  );

  it('when the row is within the cap, then it trades; a CLOSE of any size is never capped', async () => {
    stack = await startGuarded({ env: { MAX_POSITION_USD: '5000' } });
    stack.alpaca.setPosition('MSFT', 100, 400); // $41,000, far over the cap
    expect((await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect(stack.alpaca.orders.map((o) => o.side)).toEqual(['sell', 'buy']);
  });
});

describe('stale signals', () => {
  it('when timenow is older than MAX_SIGNAL_AGE_SECONDS, then it is journaled, answered 200 stale, and nothing is sent', async () => {
    stack = await startGuarded({ env: { MAX_SIGNAL_AGE_SECONDS: '60' } });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', timenow: ago(90) });
    expect(res).toMatchObject({ status: 200, body: { status: 'stale', reason: expect.stringMatching(/fired 9\ds ago/) } });
    expect(stack.server.ctx.journal.getSignal(res.body.signal_id)).toMatchObject({
      state: 'done',
      decision: expect.stringMatching(/^refused: stale/),
    });
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when only the bar time is old (a 15-minute bar) and timenow is fresh, then it trades', async () => {
    stack = await startGuarded();
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', time: ago(15 * 60), timenow: ago(2) });
    expect(res.body.status).toBe('ORDER SUBMITTED');
  });

  it('when the alert has no timenow, then the age cannot be checked and it trades, however old its bar time', async () => {
    stack = await startGuarded();
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', time: ago(3600) })).body.status).toBe('ORDER SUBMITTED');
  });

  it('when the 3Commas-style timestamp is old, then it counts as the fire time', async () => {
    stack = await startGuarded();
    expect((await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', timestamp: ago(600) })).body.status).toBe('stale');
    expect(stack.alpaca.orders).toHaveLength(0);
  });
});

describe('market hours', () => {
  it('when the market is closed and OFF_HOURS_POLICY=reject, then FAILED "market closed" and nothing is sent, CLOSE included', async () => {
    stack = await startGuarded();
    stack.alpaca.closeMarket();
    stack.alpaca.setPosition('MSFT', 5, 400);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
      status: 'FAILED',
      reason: 'market closed',
    });
    expect((await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' })).body).toMatchObject({
      status: 'FAILED',
      reason: 'market closed',
    });
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('AAPL', '15 Min', 'FAILED');
  });

  it('when the market is closed and OFF_HOURS_POLICY=queue, then the day order goes to Alpaca to wait for the open', async () => {
    stack = await startGuarded({ env: { OFF_HOURS_POLICY: 'queue', FLIP_FILL_TIMEOUT_SECONDS: '1' } });
    stack.alpaca.closeMarket();
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect(stack.alpaca.orders).toEqual([expect.objectContaining({ status: 'accepted', time_in_force: 'day' })]);
  });

  it('when the market opens, then the next alert trades', async () => {
    const clock = shiftedClock();
    stack = await startGuarded({ clock });
    stack.alpaca.closeMarket();
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'x1' })).body.status).toBe('FAILED');
    stack.alpaca.openMarket();
    clock.shift(11_000); // a clock reading is trusted for 10 s
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'x2' })).body.status).toBe('ORDER SUBMITTED');
  });
});

describe('sizing that cannot run away', () => {
  const config = [
    ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Reason'],
    ['TSLA', '1000', 'TRUE', '15 Min', '', ''],
  ];

  it("when a short's alert says $10 but Alpaca's latest trade is $250, then it is sized from Alpaca: 4 shares, not 100", async () => {
    stack = await startGuarded({ config });
    expect((await stack.signal({ action: 'SELL', symbol: 'TSLA', timeframe: '15', price: '10' })).body).toMatchObject({
      status: 'ORDER SUBMITTED',
      qty: 4,
    });
    expect(stack.alpaca.orders).toEqual([expect.objectContaining({ side: 'sell', qty: '4' })]);
  });

  it("when Alpaca's market data is down, then the short is FAILED with the reason, never sized from the alert's price", async () => {
    stack = await startGuarded({ config });
    stack.alpaca.inject({ host: 'data', path: /trades\/latest/, status: 500, times: Infinity });
    const res = await stack.signal({ action: 'SELL', symbol: 'TSLA', timeframe: '15', price: '10' });
    expect(['FAILED', 'accepted']).toContain(res.body.status); // the SDK's own retries may outlast the answer deadline
    await stack.waitStatus('TSLA', '15 Min', 'FAILED');
    expect(stack.row('TSLA', '15 Min').Reason).toMatch(/^no latest price for TSLA/);
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it(
    'when a pyramiding add would take the position over MAX_POSITION_USD, ' +
      'then it is FAILED and nothing is sent; a reduction is never capped',
    async () => {
      stack = await startGuarded({ config, env: { MAX_POSITION_USD: '6000' } });
      stack.alpaca.setPosition('TSLA', 20, 250); // $5,000 at the latest price
      const add = {
        action: 'buy',
        symbol: 'TSLA',
        timeframe: '15',
        market_position: 'long',
        market_position_size: '2',
        prev_market_position_size: '1',
      };
      expect((await stack.signal({ ...add, id: 'p1' })).body).toMatchObject({
        status: 'FAILED',
        reason: 'the position would be worth $10,000, over MAX_POSITION_USD $6,000',
      });
      expect(stack.alpaca.orders).toHaveLength(0);
      const cut = { ...add, action: 'sell', market_position_size: '1', prev_market_position_size: '4', id: 'p2' };
      expect((await stack.signal(cut)).body).toMatchObject({ status: 'ORDER SUBMITTED', qty: 15 });
    },
  );
});
