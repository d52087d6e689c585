/**
 * The bot's own working orders count: day orders queued while the market is
 * closed, slow fills, and cancels that lose the race to a fill.
 */
import { startStack, type Stack } from '../../support/stack';
import { placeByHand } from '../../support/alpaca-broker';

let stack: Stack;
afterEach(async () => stack?.stop());

const queued = { env: { OFF_HOURS_POLICY: 'queue', FLIP_FILL_TIMEOUT_SECONDS: '1' }, alpaca: { marketOpen: false } };

describe('working orders while the market is closed (OFF_HOURS_POLICY=queue)', () => {
  it('when BUY then CLOSE, then the CLOSE cancels the queued buy, and at the open the account stays flat', async () => {
    stack = await startStack(queued);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'q1' })).body.status).toBe('ORDER SUBMITTED');
    const close = await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'q2' });
    expect(close.body).toMatchObject({ status: 'WAITING', reason: 'cancelled 1 working order; already flat' });
    expect(stack.orderLines(true)).toEqual(['buy $5000 canceled']);
    stack.alpaca.openMarket();
    await new Promise((r) => setTimeout(r, 200));
    expect(stack.alpaca.positions()).toEqual([]);
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
  });

  it(
    'when BUY then SELL, then the buy is cancelled before the short ' + 'is queued: no wash-trade refusal, and the account ends short',
    async () => {
      stack = await startStack(queued);
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'q3' });
      const sell = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15', id: 'q4' });
      expect(sell.body).toMatchObject({ status: 'ORDER SUBMITTED', qty: 26 });
      expect(stack.orderLines(true)).toEqual(['buy $5000 canceled', 'sell 26 accepted']);
      stack.alpaca.openMarket();
      await stack.waitStatus('AAPL', '15 Min', 'FILLED');
      expect(stack.alpaca.positions()).toEqual([expect.objectContaining({ symbol: 'AAPL', qty: '-26' })]);
    },
  );

  it('when BUY twice while the first is queued, then the second is ALREADY LONG and nothing doubles', async () => {
    stack = await startStack(queued);
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'q5' });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '1H', id: 'q6' })).body.status).toBe('ALREADY LONG');
    expect(stack.orderLines(true)).toEqual(['buy $5000 accepted']);
  });

  it('when a CLOSE cancels the queued buy another row counted on, then that row stops saying ALREADY LONG', async () => {
    stack = await startStack(queued);
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'q7' });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '1H', id: 'q8' });
    await stack.waitStatus('AAPL', '1 Hour', 'ALREADY LONG');
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'q9' });
    await stack.waitStatus('AAPL', '1 Hour', 'WAITING');
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
  });
});

describe('cancels are confirmed before planning', () => {
  it(
    'when the cancel of a working buy loses the race to its fill, then ' +
      'the bot plans from the filled long: it closes it and ends short',
    async () => {
      stack = await startStack({ alpaca: { fill: 'manual' }, env: { FLIP_FILL_TIMEOUT_SECONDS: '1' } });
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'r1' });
      await new Promise((r) => setTimeout(r, 1200)); // the BUY's wait for its fill ends; it is followed in the background
      stack.alpaca.setCancelLosesRace(true);
      stack.alpaca.setFillMode('immediate');
      await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15', id: 'r2' });
      await stack.until(() => stack.alpaca.positions().some((p) => p.qty === '-26'), 'the short');
      expect(stack.orderLines(true)).toEqual(['buy $5000 filled', expect.stringMatching(/^sell 26\.3\d* filled$/), 'sell 26 filled']);
      await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    },
  );

  it('when an order was placed by hand, then it is neither counted nor cancelled', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' } });
    await placeByHand(stack.alpaca, 'AAPL', 'sell', 1);
    expect((await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'h1' })).body.status).toBe('WAITING');
    expect(stack.alpaca.orders).toEqual([expect.objectContaining({ side: 'sell', qty: '1', status: 'new' })]);
  });
});
