/**
 * AlpacaBroker over real HTTP: the real SDK against the wire-level fake.
 * Covers the mapping of the account, position, asset and price reads, the
 * 404→null cases, and that traffic goes only to the configured origins
 * (orders are in alpaca-broker-orders.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { originRewrite } from '../../../src/adapters/alpaca/alpaca-client';
import { ConfigurationError, RejectedError } from '../../../src/domain/errors';
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
      assetClass: 'us_equity',
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
