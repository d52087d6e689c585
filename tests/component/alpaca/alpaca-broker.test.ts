/**
 * AlpacaBroker over real HTTP: the real SDK against the wire-level fake.
 * Covers the mapping of every Broker method, the 404→null cases, order life
 * cycles, and that traffic goes only to the configured origins.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { originRewrite } from '../../../src/adapters/alpaca/alpaca-client';
import { ConfigurationError, NotFoundError, RejectedError } from '../../../src/domain/errors';
import { brokerFor } from '../../support/alpaca-broker';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake, broker } = alpacaFixture({ keyId: 'PKTEST', secretKey: 'sekret' });

describe('reading the account', () => {
  test('when the account holds cash and a long position, then equity, cash and buying power come back as numbers', async () => {
    fake.setAccount({ cash: 40_000, lastEquity: 41_000 });
    fake.setPrice('AAPL', 200);
    fake.setPosition('AAPL', 10, 150);
    const account = await broker.getAccount();
    expect(account).toEqual({
      equity: 42_000,
      lastEquity: 41_000,
      cash: 40_000,
      buyingPower: 40_000,
      shortingEnabled: true,
      status: 'ACTIVE',
    });
  });

  test('when shorting is disabled on the account, then shortingEnabled is false', async () => {
    fake.setAccount({ shortingEnabled: false });
    expect((await broker.getAccount()).shortingEnabled).toBe(false);
  });

  test('when the market is closed, then the clock says so with ISO times', async () => {
    fake.closeMarket();
    const clock = await broker.getClock();
    expect(clock.isOpen).toBe(false);
    for (const t of [clock.timestamp, clock.nextOpen, clock.nextClose]) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(clock.nextOpen)).toBeGreaterThan(Date.parse(clock.timestamp));
  });

  test('when the market is open, then the clock says open', async () => {
    expect((await broker.getClock()).isOpen).toBe(true);
  });
});

describe('positions', () => {
  test('when flat, then getPosition is null (Alpaca answers 404)', async () => {
    expect(await broker.getPosition('AAPL')).toBeNull();
    expect(fake.requests.at(-1)).toMatchObject({ host: 'trading', method: 'GET', path: '/v2/positions/AAPL' });
  });

  test('when long, then qty, side, prices and P&L are mapped from Alpaca strings', async () => {
    fake.setPrice('AAPL', 160);
    fake.setPosition('AAPL', 10, 150);
    expect(await broker.getPosition('AAPL')).toEqual({
      symbol: 'AAPL',
      qty: 10,
      side: 'long',
      avgEntryPrice: 150,
      marketValue: 1600,
      unrealizedPl: 100,
      currentPrice: 160,
    });
  });

  test('when short, then qty and market value are negative and side is short', async () => {
    fake.setPrice('TSLA', 90);
    fake.setPosition('TSLA', -5, 100);
    expect(await broker.getPosition('TSLA')).toEqual({
      symbol: 'TSLA',
      qty: -5,
      side: 'short',
      avgEntryPrice: 100,
      marketValue: -450,
      unrealizedPl: 50,
      currentPrice: 90,
    });
  });

  test('when several positions are open, then listPositions returns each', async () => {
    fake.setPosition('AAPL', 2, 100);
    fake.setPosition('MSFT', -3, 100);
    const positions = await broker.listPositions();
    expect(positions.map((p) => [p.symbol, p.qty])).toEqual([
      ['AAPL', 2],
      ['MSFT', -3],
    ]);
  });
});

describe('assets and prices', () => {
  test('when an asset is hard to borrow and not fractionable, then getAsset says so', async () => {
    fake.setAsset('GME', { fractionable: false, easy_to_borrow: false, shortable: true });
    expect(await broker.getAsset('GME')).toEqual({
      symbol: 'GME',
      tradable: true,
      fractionable: false,
      shortable: true,
      easyToBorrow: false,
    });
  });

  test('when the symbol is unknown, then getAsset is a RejectedError', async () => {
    await expect(broker.getAsset('ZZZZ')).rejects.toThrow(RejectedError);
  });

  test('when a price is set, then getLatestPrice asks the data host on the configured feed', async () => {
    fake.setPrice('NVDA', 123.45);
    expect(await broker.getLatestPrice('NVDA')).toBe(123.45);
    expect(fake.requests.at(-1)).toMatchObject({ host: 'data', path: '/v2/stocks/NVDA/trades/latest', query: { feed: 'iex' } });
  });

  test('when the symbol has no trades, then getLatestPrice is a RejectedError naming it', async () => {
    fake.setAsset('NOPX', {});
    await expect(broker.getLatestPrice('NOPX')).rejects.toThrow(/no latest trade for NOPX/);
  });
});

describe('orders', () => {
  test('when a notional buy is submitted, then Alpaca gets a market day order with string amounts and answers accepted', async () => {
    fake.setPrice('AAPL', 200);
    const order = await broker.submitOrder({ symbol: 'AAPL', side: 'buy', notional: 1000.559, clientOrderId: 'sig-1-open' });
    expect(fake.requests.at(-1)?.body).toEqual({
      symbol: 'AAPL',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      notional: '1000.55',
      client_order_id: 'sig-1-open',
    });
    expect(order).toMatchObject({
      clientOrderId: 'sig-1-open',
      symbol: 'AAPL',
      side: 'buy',
      notional: 1000.55,
      status: 'accepted',
      state: 'open',
      filledQty: 0,
    });
    expect(order.id).toBeTruthy();
  });

  test('when the order fills, then the lookup by client order id shows filled with quantity and price', async () => {
    fake.setPrice('AAPL', 200);
    await broker.submitOrder({ symbol: 'AAPL', side: 'buy', notional: 1000, clientOrderId: 'sig-2-open' });
    const found = await broker.findOrderByClientId('sig-2-open');
    expect(found).toMatchObject({ status: 'filled', state: 'filled', filledQty: 5, filledAvgPrice: 200 });
    expect(found?.reason).toBeUndefined();
    expect(await broker.getPosition('AAPL')).toMatchObject({ qty: 5, side: 'long' });
  });

  test('when a whole-share order is submitted, then qty is sent as a string and notional is absent', async () => {
    const order = await broker.submitOrder({ symbol: 'MSFT', side: 'sell', qty: 3, clientOrderId: 'sig-3-open' });
    expect(fake.requests.at(-1)?.body).toEqual({
      symbol: 'MSFT',
      side: 'sell',
      type: 'market',
      time_in_force: 'day',
      qty: '3',
      client_order_id: 'sig-3-open',
    });
    expect(order).toMatchObject({ qty: 3, side: 'sell' });
    expect(order.notional).toBeUndefined();
  });

  test('when an order is looked up by broker id, then it maps; an unknown id is a NotFoundError', async () => {
    const placed = await broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'sig-4-open' });
    expect(await broker.getOrder(placed.id)).toMatchObject({ id: placed.id, clientOrderId: 'sig-4-open', state: 'filled' });
    await expect(broker.getOrder('00000000-0000-0000-0000-000000000000')).rejects.toThrow(NotFoundError);
  });

  test('when no order has that client order id, then findOrderByClientId is null', async () => {
    expect(await broker.findOrderByClientId('never-sent')).toBeNull();
  });

  test('when the market is closed, then the order stays open until the market opens', async () => {
    fake.closeMarket();
    await broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 2, clientOrderId: 'sig-5-open' });
    expect(await broker.findOrderByClientId('sig-5-open')).toMatchObject({ status: 'accepted', state: 'open' });
    expect(await broker.getPosition('SPY')).toBeNull();
    fake.openMarket();
    expect(await broker.findOrderByClientId('sig-5-open')).toMatchObject({ state: 'filled', filledQty: 2 });
  });

  test('when Alpaca rejects the order after accepting it, then its state is failed with a reason', async () => {
    fake.rejectNext();
    await broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'sig-6-open' });
    expect(await broker.findOrderByClientId('sig-6-open')).toMatchObject({
      status: 'rejected',
      state: 'failed',
      reason: 'Alpaca rejected the order',
      filledQty: 0,
    });
  });

  test('when a day order expires unfilled, then its state is failed', async () => {
    fake.setFillMode('manual');
    await broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'sig-7-open' });
    fake.expireOpenOrders();
    expect(await broker.findOrderByClientId('sig-7-open')).toMatchObject({
      status: 'expired',
      state: 'failed',
      reason: 'the order expired',
    });
  });

  test('when orders are waiting, then listOpenOrders lists them and cancelAllOrders cancels them all', async () => {
    fake.setFillMode('manual');
    await broker.submitOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'a' });
    await broker.submitOrder({ symbol: 'MSFT', side: 'buy', qty: 1, clientOrderId: 'b' });
    expect((await broker.listOpenOrders()).map((o) => o.clientOrderId)).toEqual(['a', 'b']);
    await broker.cancelAllOrders();
    expect(await broker.listOpenOrders()).toEqual([]);
    expect(await broker.findOrderByClientId('a')).toMatchObject({ status: 'canceled', state: 'failed', reason: 'the order was canceled' });
  });

  test('when an order has both qty and notional, then it is refused before anything is sent', async () => {
    await expect(broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, notional: 100, clientOrderId: 'x' })).rejects.toThrow(
      RejectedError,
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe("the bot's own working orders", () => {
  test("when orders are open for a symbol, then only those with the bot's client order id prefix are listed, for that symbol", async () => {
    fake.setFillMode('manual');
    const mine = await broker.submitOrder({ symbol: 'AAPL', side: 'buy', notional: 100, clientOrderId: 'tb-abc-open' });
    await broker.submitOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'by-hand-1' });
    await broker.submitOrder({ symbol: 'MSFT', side: 'buy', qty: 1, clientOrderId: 'tb-def-open' });
    expect((await broker.listOwnOpenOrders('AAPL')).map((o) => o.id)).toEqual([mine.id]);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v2/orders', query: { status: 'open', symbols: 'AAPL' } });
  });

  test('when an order is cancelled, then it ends canceled at Alpaca; cancelling an order that already ended is not an error', async () => {
    fake.setFillMode('manual');
    const order = await broker.submitOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'tb-ghi-open' });
    await broker.cancelOrder(order.id);
    expect(await broker.getOrder(order.id)).toMatchObject({ state: 'failed', status: 'canceled' });
    await expect(broker.cancelOrder(order.id)).resolves.toBeUndefined();
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/v2/orders/${order.id}`,
      `/v2/orders/${order.id}`,
    ]);
  });

  test('when a client order id is used twice, then the adapter says DuplicateOrderError, so the caller looks the order up', async () => {
    await broker.submitOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'tb-jkl-open' });
    await expect(broker.submitOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'tb-jkl-open' })).rejects.toMatchObject({
      name: 'DuplicateOrderError',
      message: 'client_order_id must be unique',
    });
  });
});

describe('the boundary with the outside world', () => {
  test('when the broker is constructed, then it sends nothing', async () => {
    broker;
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.requests).toHaveLength(0);
  });

  test('when every method is called once, then every request reached the fake, on the right host, with the keys', async () => {
    fake.setPosition('AAPL', 1, 100);
    const day = new Date('2024-01-02T00:00:00Z');
    const calls: [string, () => Promise<unknown>][] = [
      ['trading', () => broker.getAccount()],
      ['trading', () => broker.getClock()],
      ['trading', () => broker.getPosition('AAPL')],
      ['trading', () => broker.listPositions()],
      ['trading', () => broker.getAsset('AAPL')],
      ['data', () => broker.getLatestPrice('AAPL')],
      ['trading', () => broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'c' })],
      ['trading', () => broker.findOrderByClientId('c')],
      ['trading', () => broker.listOpenOrders()],
      ['trading', () => broker.cancelAllOrders()],
      ['trading', () => broker.listFills(day, new Date())],
      ['trading', () => broker.getPortfolioHistory(day, new Date())],
      ['data', () => broker.getDailyBars('SPY', day, new Date())],
    ];
    for (const [, call] of calls) await call();
    expect(fake.requests.map((r) => r.host)).toEqual(calls.map(([host]) => host));
    for (const r of fake.requests) {
      expect(r.headers['apca-api-key-id']).toBe('PKTEST');
      expect(r.headers['apca-api-secret-key']).toBe('sekret');
    }
  });

  test("when a request would go to a host other than Alpaca's own, then the client refuses it", async () => {
    const rewrite = originRewrite([['https://paper-api.alpaca.markets', 'http://127.0.0.1:1']]);
    await expect(rewrite.pre!({ url: 'https://evil.example/v2/account', init: {}, fetch })).rejects.toThrow(ConfigurationError);
    await expect(rewrite.pre!({ url: 'https://paper-api.alpaca.markets/v2/account?x=1', init: {}, fetch })).resolves.toMatchObject({
      url: 'http://127.0.0.1:1/v2/account?x=1',
    });
  });

  test('when the keys are wrong, then calls fail as RejectedError saying the keys were refused', async () => {
    const broker = brokerFor(fake, { secretKey: 'wrong' });
    const err = await broker.getAccount().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).status).toBe(401);
    expect((err as Error).message).toMatch(/refused the API keys/);
  });

  test('when a key is empty, then construction fails with a ConfigurationError instead of reading the environment', () => {
    expect(() => brokerFor(fake, { keyId: '' })).toThrow(ConfigurationError);
  });

  test('when the base URL is not a URL, then construction fails with a ConfigurationError', () => {
    expect(() => brokerFor(fake, { baseUrl: 'localhost:8080' })).toThrow(ConfigurationError);
  });

  test(
    'when the adapter loads the SDK, then every file uses the one main entry ' +
      '(REST and the trading stream in one bundle) and never reads the environment',
    () => {
      const dir = join(__dirname, '../../../src/adapters/alpaca');
      const sources = readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => readFileSync(join(dir, f), 'utf8'));
      const sdkImports = sources.flatMap((src) => [...src.matchAll(/from '(@alpacahq\/[^']+)'/g)].map((m) => m[1]));
      expect(sdkImports.length).toBeGreaterThan(0);
      // The `/rest` entry is a second ~800 KB bundle of the same code: importing both would load it twice.
      expect(new Set(sdkImports)).toEqual(new Set(['@alpacahq/alpaca-trade-api']));
      expect(sources.some((src) => src.includes('process.env'))).toBe(false);
    },
  );
});
