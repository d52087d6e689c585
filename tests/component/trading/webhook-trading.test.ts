/**
 * The signal path end to end: real server, real Alpaca SDK and googleapis
 * client, over HTTP against the wire-level fakes.
 */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

describe('BUY', () => {
  it('when flat and the asset is fractionable, then it buys position_size dollars notional and the row shows FILLED', async () => {
    stack = await startStack();
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ORDER SUBMITTED', action: 'long', symbol: 'AAPL', timeframe: '15 Min', amount: 5000 });
    expect(res.body.order_ids).toHaveLength(1);
    expect(stack.alpaca.orders).toHaveLength(1);
    expect(stack.alpaca.orders[0]).toMatchObject({ side: 'buy', notional: '5000', type: 'market', time_in_force: 'day' });
    expect(String(stack.alpaca.orders[0].client_order_id)).toMatch(/-open$/);
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.row('AAPL', '15 Min')['Last Updated']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T$/);
  });

  it('when flat and the asset is not fractionable, then it buys whole shares', async () => {
    stack = await startStack();
    stack.alpaca.setAsset('MSFT', { fractionable: false });
    await stack.signal({ action: 'buy', ticker: 'MSFT', interval: '15' });
    expect(stack.orderLines()).toEqual(['buy 12']); // floor(5000 / 410)
  });

  it('when already long, then nothing is sent and the row shows ALREADY LONG', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', 10, 180);
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15 Min' });
    expect(res.body.status).toBe('ALREADY LONG');
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('AAPL', '15 Min', 'ALREADY LONG');
  });

  it('when short, then it closes the short, waits for that fill and a flat position, then buys', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' } });
    stack.alpaca.setPosition('AAPL', -7, 200);
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body.status).toBe('ORDER SUBMITTED');
    expect(stack.orderLines()).toEqual(['buy 7']);
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.orderLines()).toEqual(['buy 7']); // the open leg waits for the close to fill
    stack.alpaca.fillOpenOrders();
    await stack.until(() => stack.alpaca.orders.length === 2, 'the opening buy');
    expect(stack.orderLines()).toEqual(['buy 7', 'buy $5000']);
    stack.alpaca.fillOpenOrders();
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.alpaca.positions()).toEqual([expect.objectContaining({ symbol: 'AAPL', side: 'long' })]);
  });
});

describe('SELL', () => {
  it('when flat, then it shorts floor(position_size / latest price) whole shares', async () => {
    stack = await startStack();
    stack.alpaca.setPrice('AAPL', 190.12);
    const res = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'ORDER SUBMITTED', qty: 26 });
    expect(stack.orderLines()).toEqual(['sell 26']);
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
  });

  it('when already short, then nothing is sent and the row shows ALREADY SHORT', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', -5, 180);
    expect((await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ALREADY SHORT');
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('AAPL', '15 Min', 'ALREADY SHORT');
  });

  it('when long, then it sells the long, waits for the fill, then shorts whole shares', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', 2.5, 180);
    await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['sell 2.5', 'sell 26']);
    expect(stack.alpaca.positions()).toEqual([expect.objectContaining({ symbol: 'AAPL', qty: '-26' })]);
  });

  it('when the size buys less than one share, then the row is FAILED with the reason and nothing is sent', async () => {
    stack = await startStack({
      config: [
        ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status'],
        ['AAPL', '100', 'TRUE', '15', ''],
      ],
    });
    const res = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/less than 1 share/) });
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('AAPL', '15', 'FAILED');
  });

  it('when the asset is not shortable and flat, then FAILED with the reason and nothing is sent', async () => {
    stack = await startStack();
    stack.alpaca.setAsset('AAPL', { shortable: false });
    const res = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/not shortable/) });
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it(
    'when the asset is not shortable and long, then the long is still closed (exits ' +
      'are never blocked), nothing is shorted, and the row is FAILED with the reason',
    async () => {
      stack = await startStack();
      stack.alpaca.setAsset('AAPL', { shortable: false });
      stack.alpaca.setPosition('AAPL', 3, 180);
      const res = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
      expect(res.body).toMatchObject({
        status: 'FAILED',
        reason: expect.stringMatching(/not shortable; closing the position/),
        order_ids: [expect.any(String)],
      });
      await stack.waitStatus('AAPL', '15 Min', 'FAILED');
      expect(stack.orderLines()).toEqual(['sell 3']);
      expect(stack.alpaca.positions()).toEqual([]);
    },
  );
});

describe('CLOSE', () => {
  it('when long, then it closes the position and the row shows WAITING', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', 4, 180);
    const res = await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    expect(res.body.status).toBe('ORDER SUBMITTED');
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(stack.orderLines()).toEqual(['sell 4']);
    expect(stack.alpaca.positions()).toEqual([]);
  });

  it('when short, then it buys to cover', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', -4, 180);
    await stack.signal({ action: 'exit', ticker: 'AAPL', interval: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(stack.orderLines()).toEqual(['buy 4']);
  });

  it('when flat, then nothing is sent and the row shows WAITING', async () => {
    stack = await startStack();
    expect((await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('WAITING');
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
  });
});

describe('rows', () => {
  it('when the row is inactive, then nothing is sent and the row shows INACTIVE', async () => {
    stack = await startStack();
    const res = await stack.signal({ action: 'BUY', symbol: 'TSLA', timeframe: '15' });
    expect(res).toMatchObject({ status: 200, body: { status: 'INACTIVE' } });
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('TSLA', '15 Min', 'INACTIVE');
  });

  it('when no row matches symbol and timeframe, then it is ignored with the reason', async () => {
    stack = await startStack();
    const res = await stack.signal({ action: 'BUY', symbol: 'NVDA', timeframe: '15' });
    expect(res).toMatchObject({ status: 200, body: { status: 'ignored', reason: expect.stringMatching(/no Config row for NVDA/) } });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30' })).body.status).toBe('ignored');
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when position_size is negative or not a number, then the row is FAILED with the reason', async () => {
    stack = await startStack({
      config: [
        ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status'],
        ['AAPL', '-50', 'TRUE', '15', ''],
        ['MSFT', 'abc', 'TRUE', '15', ''],
      ],
    });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/more than 0/),
    });
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/position_size "abc" is not understood: type the dollars/),
    });
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('MSFT', '15', 'FAILED');
  });

  it('when position_size is bad, then a CLOSE still closes the position: an exit needs no size', async () => {
    stack = await startStack({
      config: [
        ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status'],
        ['AAPL', 'abc', 'TRUE', '15', ''],
      ],
    });
    stack.alpaca.setPosition('AAPL', 4, 180);
    expect((await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitStatus('AAPL', '15', 'WAITING');
    expect(stack.orderLines()).toEqual(['sell 4']);
  });

  it('when the columns are reordered, then they are found by header and the status lands in the right cell', async () => {
    stack = await startStack({
      config: [
        ['Last Updated', 'Order Status', 'TIME FRAME', 'Active', 'Position_Size', 'Symbol', 'Notes'],
        ['', '', '15 Min', 'TRUE', '$1,000', 'AAPL', 'keep me'],
      ],
    });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15min' });
    await stack.until(() => stack.sheets.tab('Config')[1][1] === 'FILLED', 'FILLED in column B');
    expect(stack.sheets.tab('Config')[1]).toEqual([
      expect.stringMatching(/P[SD]T$/),
      'FILLED',
      '15 Min',
      'TRUE',
      '$1,000',
      'AAPL',
      'keep me',
    ]);
    expect(stack.alpaca.orders[0]).toMatchObject({ notional: '1000' });
  });

  it('when the sheet is edited, then the next signal sees the edit', async () => {
    stack = await startStack();
    expect((await stack.signal({ action: 'BUY', symbol: 'TSLA', timeframe: '15' })).body.status).toBe('INACTIVE');
    stack.sheets.setTab('Config', [
      ...(await import('../../support/stack')).DEFAULT_CONFIG.slice(0, 4),
      ['TSLA', '$2,000', 'TRUE', '15 Min', '', ''],
    ]);
    expect((await stack.signal({ action: 'BUY', symbol: 'TSLA', timeframe: '15', id: 'second' })).body.status).toBe('ORDER SUBMITTED');
  });
});

describe('broker rejections', () => {
  it("when buying power is insufficient, then the row is FAILED with Alpaca's message", async () => {
    stack = await startStack({ alpaca: { cash: 1000 } });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/insufficient buying power/) });
    await stack.waitStatus('AAPL', '15 Min', 'FAILED');
    expect(stack.logs.join('\n')).toMatch(/insufficient buying power/);
  });

  it('when Alpaca reports a wash trade, then the row is FAILED with that message', async () => {
    stack = await startStack();
    stack.alpaca.inject({
      method: 'POST',
      path: /\/v2\/orders$/,
      status: 403,
      body: { code: 40310000, message: 'potential wash trade detected. use complex orders' },
    });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/wash trade/) });
  });

  it('when the symbol is unknown to Alpaca, then the row is FAILED and nothing is sent', async () => {
    stack = await startStack({
      config: [
        ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status'],
        ['ZZZZ', '1000', 'TRUE', '15', ''],
      ],
    });
    const res = await stack.signal({ action: 'SELL', symbol: 'ZZZZ', timeframe: '15' });
    expect(res.body.status).toBe('FAILED');
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when the order is accepted then rejected by Alpaca, then the row ends FAILED', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' } });
    stack.alpaca.rejectNext();
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    stack.alpaca.fillOpenOrders();
    await stack.waitStatus('AAPL', '15 Min', 'FAILED');
  });
});
