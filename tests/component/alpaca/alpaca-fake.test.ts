/**
 * The fake Alpaca itself, at the wire: rules and shapes the adapter never
 * reaches (it refuses such orders first) but other tests and future callers
 * rely on, plus the control API's fault and reset behaviour.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callAlpaca } from '../../support/alpaca-broker';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake } = alpacaFixture();

const SAMPLES = join(__dirname, '../../fixtures/alpaca-samples');

const call = (method: string, path: string, body?: unknown, base = fake.url, keys = { id: fake.keyId, secret: fake.secretKey }) =>
  callAlpaca(fake, method, path, body, { base, keys });
const market = (o: Record<string, unknown>) => call('POST', '/v2/orders', { type: 'market', time_in_force: 'day', ...o });

/** The sample's keys, for comparing shapes with Alpaca's documentation. */
function sampleKeys(file: string): string[] {
  const sample = JSON.parse(readFileSync(join(SAMPLES, file), 'utf8')) as Record<string, unknown>;
  return Object.keys(sample).sort();
}

describe('wire shapes', () => {
  test(
    'when an order, a position and the account are read, then ' + "they carry every field of Alpaca's samples, numbers as strings",
    async () => {
      fake.setPosition('AAPL', 5, 100);
      const order = (await market({ symbol: 'SPY', side: 'buy', qty: '1' })).body;
      const position = (await call('GET', '/v2/positions/AAPL')).body;
      const account = (await call('GET', '/v2/account')).body;
      expect(Object.keys(order)).toEqual(expect.arrayContaining(sampleKeys('order-v2.json')));
      expect(Object.keys(position)).toEqual(expect.arrayContaining(sampleKeys('position.json')));
      expect(Object.keys(account)).toEqual(expect.arrayContaining(sampleKeys('account-v2.json').filter((k) => k !== 'daytrade_count')));
      expect(order).toMatchObject({ qty: '1', notional: null, filled_qty: '0', filled_avg_price: null, status: 'accepted' });
      expect(position).toMatchObject({ qty: '5', qty_available: '5', side: 'long', avg_entry_price: '100' });
      expect(typeof account.cash).toBe('string');
    },
  );

  test("when a fill happens, then its activity has the sample's fields", async () => {
    await market({ symbol: 'SPY', side: 'buy', qty: '1' });
    const [activity] = (await call('GET', '/v2/account/activities?activity_types=FILL')).body;
    expect(Object.keys(activity).sort()).toEqual(expect.arrayContaining(sampleKeys('account-trade-activity-v2.json')));
    expect(activity).toMatchObject({
      activity_type: 'FILL',
      type: 'fill',
      side: 'buy',
      qty: '1',
      symbol: 'SPY',
      leaves_qty: '0',
      cum_qty: '1',
    });
  });

  test("when the keys are missing or wrong, then the answer is Alpaca's 401", async () => {
    expect(await call('GET', '/v2/account', undefined, fake.url, { id: fake.keyId, secret: 'nope' })).toEqual({
      status: 401,
      body: { code: 40110000, message: 'request is not authorized' },
    });
  });

  test('when a trading path is asked of the data host, then it is not found there', async () => {
    expect((await call('GET', '/v2/account', undefined, fake.dataUrl)).status).toBe(404);
    expect((await call('GET', '/v2/stocks/AAPL/trades/latest', undefined, fake.url)).status).toBe(404);
  });
});

describe('order rules the adapter never exercises', () => {
  test('when both qty and notional are sent, then 422', async () => {
    expect((await market({ symbol: 'SPY', side: 'buy', qty: '1', notional: '10' })).status).toBe(422);
  });

  test('when a fractional order is not a day order, then 422; as a day order it is accepted', async () => {
    expect((await market({ symbol: 'SPY', side: 'buy', qty: '0.5', time_in_force: 'gtc' })).body).toEqual({
      code: 40010001,
      message: 'fractional orders must be DAY orders',
    });
    expect((await market({ symbol: 'SPY', side: 'buy', qty: '0.5' })).status).toBe(200);
  });

  test('when the position is flat, then GET and DELETE of it are 404 "position does not exist"', async () => {
    const expected = { status: 404, body: { code: 40410000, message: 'position does not exist' } };
    expect(await call('GET', '/v2/positions/MSFT')).toEqual(expected);
    expect(await call('DELETE', '/v2/positions/MSFT')).toEqual(expected);
  });

  test('when a short position is closed with DELETE, then a buy for the whole quantity is placed and fills', async () => {
    fake.setPosition('TSLA', -4, 250);
    const close = await call('DELETE', '/v2/positions/TSLA');
    expect(close.body).toMatchObject({ symbol: 'TSLA', side: 'buy', qty: '4', status: 'accepted' });
    expect((await call('GET', '/v2/positions/TSLA')).status).toBe(404);
    expect(fake.positions()).toEqual([]);
  });
});

describe('order life cycle as at Alpaca', () => {
  test('when the market is closed, then a day order waits accepted, and fills at the open', async () => {
    fake.closeMarket();
    const { body } = await market({ symbol: 'AAPL', side: 'buy', qty: '2' });
    expect((await call('GET', `/v2/orders/${body.id}`)).body.status).toBe('accepted');
    fake.openMarket();
    expect((await call('GET', `/v2/orders/${body.id}`)).body).toMatchObject({ status: 'filled', filled_qty: '2' });
  });

  test(
    'when an order is cancelled, then DELETE answers 204 at once and the ' +
      'order has ended canceled by the next request; a second cancel is 422',
    async () => {
      fake.setFillMode('manual');
      const { body } = await market({ symbol: 'AAPL', side: 'buy', qty: '2' });
      expect((await call('DELETE', `/v2/orders/${body.id}`)).status).toBe(204);
      expect(fake.orders[0].status).toBe('canceled');
      expect((await call('DELETE', `/v2/orders/${body.id}`)).status).toBe(422);
    },
  );

  test('when a cancel loses the race, then the order fills instead', async () => {
    fake.setFillMode('manual');
    fake.setCancelLosesRace(true);
    const { body } = await market({ symbol: 'AAPL', side: 'buy', qty: '2' });
    await call('DELETE', `/v2/orders/${body.id}`);
    expect((await call('GET', `/v2/orders/${body.id}`)).body.status).toBe('filled');
  });

  test('when an opposite-side order is still open, then a new order is refused as a potential wash trade', async () => {
    fake.setFillMode('manual');
    await market({ symbol: 'AAPL', side: 'buy', qty: '2' });
    expect(await market({ symbol: 'AAPL', side: 'sell', qty: '1' })).toEqual({
      status: 403,
      body: { code: 40310000, message: 'potential wash trade detected. use complex orders' },
    });
  });
});

describe('paging and order queries', () => {
  test('when activities are paged newest first, then page_token continues below the last id', async () => {
    const all = fake.generateFills(5);
    const first = (await call('GET', '/v2/account/activities?activity_types=FILL&page_size=2')).body;
    expect(first.map((a: { id: string }) => a.id)).toEqual([all[4].id, all[3].id]);
    const second = (
      await call('GET', `/v2/account/activities?activity_types=FILL&page_size=2&page_token=${encodeURIComponent(first[1].id)}`)
    ).body;
    expect(second.map((a: { id: string }) => a.id)).toEqual([all[2].id, all[1].id]);
  });

  test('when page_size is above 100, then a page still holds at most 100', async () => {
    fake.generateFills(150);
    expect((await call('GET', '/v2/account/activities?page_size=500')).body).toHaveLength(100);
  });

  test('when orders are listed, then status=open is the default and closed ones need status=closed', async () => {
    fake.setFillMode('manual', 'AAPL');
    await market({ symbol: 'AAPL', side: 'buy', qty: '1' });
    await market({ symbol: 'SPY', side: 'buy', qty: '1' });
    expect((await call('GET', '/v2/orders')).body.map((o: { symbol: string }) => o.symbol)).toEqual(['AAPL']);
    expect((await call('GET', '/v2/orders?status=closed')).body.map((o: { symbol: string }) => o.symbol)).toEqual(['SPY']);
    expect((await call('GET', '/v2/orders?status=all')).body).toHaveLength(2);
  });
});

describe('control API', () => {
  test('when a fill delay is set, then the order stays open until the delay has passed', async () => {
    fake.setFillDelay(150);
    const { body } = await market({ symbol: 'SPY', side: 'buy', qty: '1' });
    expect((await call('GET', `/v2/orders/${body.id}`)).body.status).toBe('new');
    await new Promise((r) => setTimeout(r, 200));
    expect((await call('GET', `/v2/orders/${body.id}`)).body.status).toBe('filled');
  });

  test('when a fault is injected twice, then exactly two matching requests fail and it reports its hits', async () => {
    const fault = fake.inject({ method: 'GET', path: /^\/v2\/clock$/, status: 502, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/v2/clock')).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect(fault.hits).toBe(2);
  });

  test('when the fake is reset, then orders, positions, requests and faults are gone', async () => {
    fake.setPosition('AAPL', 1, 100);
    fake.inject({ path: /account/, status: 500, times: Infinity });
    await market({ symbol: 'SPY', side: 'buy', qty: '1' });
    fake.reset();
    expect(fake.orders).toEqual([]);
    expect(fake.positions()).toEqual([]);
    expect(fake.requests).toEqual([]);
    expect((await call('GET', '/v2/account')).status).toBe(200);
  });

  test('when latest trades are asked on the SIP feed by a free plan, then 403; on a paid plan the price', async () => {
    expect((await call('GET', '/v2/stocks/AAPL/trades/latest?feed=sip', undefined, fake.dataUrl)).status).toBe(403);
    fake.setDataPlan('paid');
    expect((await call('GET', '/v2/stocks/AAPL/trades/latest?feed=sip', undefined, fake.dataUrl)).body).toMatchObject({
      symbol: 'AAPL',
      trade: { p: 190 },
    });
  });
});
