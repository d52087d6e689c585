/**
 * Crypto through AlpacaBroker against the fake, over real HTTP: the asset's
 * class and minimum, the crypto latest-trade endpoint, both spellings of a
 * pair coming back as the bot's one symbol, and Alpaca's crypto order rules
 * (GTC or IOC, no shorts, no OCO, min_order_size, 24/7, the fee).
 */
import { RejectedError } from '../../../src/domain/errors';
import { callAlpaca } from '../../support/alpaca-broker';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake, broker } = alpacaFixture();

/** Posts a raw order body to the fake, as a client other than the bot might. */
const post = (body: Record<string, unknown>) => callAlpaca(fake, 'POST', '/v2/orders', body);

describe('crypto assets and prices', () => {
  test('when the bot reads BTC/USD, then it is a crypto asset with its min_order_size, read by the path BTCUSD', async () => {
    expect(await broker.getAsset('BTC/USD')).toMatchObject({
      symbol: 'BTC/USD',
      assetClass: 'crypto',
      shortable: false,
      fractionable: true,
      minOrderSize: 0.0001,
      minTradeIncrement: 1e-9,
    });
    expect(fake.requests.some((r) => r.path === '/v2/assets/BTCUSD')).toBe(true);
  });

  test('when the bot reads a crypto price, then it asks the crypto latest-trade endpoint, never the stock one', async () => {
    fake.setPrice('BTC/USD', 61_234.5);
    expect(await broker.getLatestPrice('BTC/USD')).toBe(61_234.5);
    const data = fake.requests.filter((r) => r.host === 'data');
    expect(data.map((r) => r.path)).toEqual(['/v1beta3/crypto/us/latest/trades']);
    expect(data[0].query.symbols).toBe('BTC/USD');
  });
});

describe('one asset, two spellings', () => {
  test('when the position comes back as BTCUSD and the orders as BTC/USD, then both are the bot symbol BTC/USD', async () => {
    const order = await broker.submitOrder({ symbol: 'BTC/USD', side: 'buy', qty: 0.1, clientOrderId: 'tb-s1-open', timeInForce: 'gtc' });
    expect(fake.orders[0].symbol).toBe('BTC/USD');
    expect(order.symbol).toBe('BTC/USD');
    expect(fake.positions()[0].symbol).toBe('BTCUSD');
    const position = await broker.getPosition('BTC/USD');
    expect(position).toMatchObject({ symbol: 'BTC/USD', side: 'long' });
    // The fee (0.25%) came out of the coins bought: the position holds less than the order filled.
    expect(position!.qty).toBeCloseTo(0.09975, 9);
    expect((await broker.listPositions()).map((p) => p.symbol)).toEqual(['BTC/USD']);
    const fills = await broker.listFills(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000));
    expect(fake.activities()[0].symbol).toBe('BTCUSD');
    expect(fills.map((f) => f.symbol)).toEqual(['BTC/USD']);
  });

  test('when a stop-limit and a target rest for the coins held, then both are listed as the bot own BTC/USD orders', async () => {
    fake.setPosition('BTCUSD', 0.5, 60_000);
    const stop = { type: 'stop_limit' as const, stopPrice: 58_800, limitPrice: 58_212 };
    await broker.submitOrder({ symbol: 'BTC/USD', side: 'sell', qty: 0.5, clientOrderId: 'tb-s2-sl', resting: stop });
    await broker.submitOrder({
      symbol: 'BTC/USD',
      side: 'sell',
      qty: 0.5,
      clientOrderId: 'tb-s2-tp',
      resting: { type: 'limit', limitPrice: 63_000 },
    });
    const own = await broker.listOwnOpenOrders('BTC/USD');
    expect(own.map((o) => [o.symbol, o.type, o.qty])).toEqual([
      ['BTC/USD', 'stop_limit', 0.5],
      ['BTC/USD', 'limit', 0.5],
    ]);
    expect(fake.orders.map((o) => o.time_in_force)).toEqual(['gtc', 'gtc']);
  });
});

describe("Alpaca's crypto order rules, as the fake enforces them", () => {
  test('when a crypto order is a DAY order, then it is refused; GTC and IOC are accepted', async () => {
    expect(await post({ symbol: 'BTC/USD', side: 'buy', qty: '0.01', type: 'market', time_in_force: 'day' })).toMatchObject({
      status: 422,
      body: { message: 'invalid crypto time_in_force' },
    });
    expect((await post({ symbol: 'BTCUSD', side: 'buy', qty: '0.01', type: 'market', time_in_force: 'ioc' })).status).toBe(200);
    expect((await post({ symbol: 'BTC/USD', side: 'buy', notional: '100', type: 'market', time_in_force: 'gtc' })).status).toBe(200);
  });

  test('when a crypto order is a stop, a trailing stop or an OCO, then it is refused', async () => {
    fake.setPosition('BTC/USD', 1);
    for (const body of [
      { type: 'stop', stop_price: '50000' },
      { type: 'trailing_stop', trail_percent: '3' },
      { type: 'limit', order_class: 'oco', take_profit: { limit_price: '70000' }, stop_loss: { stop_price: '50000' } },
    ]) {
      const answer = await post({ symbol: 'BTC/USD', side: 'sell', qty: '1', time_in_force: 'gtc', ...body });
      expect(answer.status).toBe(422);
      expect(answer.body.message).toMatch(/invalid order type for crypto order/);
    }
  });

  test('when a crypto sale is more than is held, then it is refused: crypto is never short', async () => {
    fake.setPosition('BTC/USD', 0.2);
    expect(await post({ symbol: 'BTC/USD', side: 'sell', qty: '0.3', type: 'market', time_in_force: 'gtc' })).toEqual({
      status: 403,
      body: { code: 40310000, message: 'insufficient balance for BTC (requested: 0.3, available: 0.2)' },
    });
    await expect(
      broker.submitOrder({ symbol: 'ETH/USD', side: 'sell', qty: 1, clientOrderId: 'tb-s3-open', timeInForce: 'gtc' }),
    ).rejects.toThrow(/insufficient balance for ETH/);
  });

  test('when a crypto order is under the asset min_order_size, then it is refused naming the minimum', async () => {
    const answer = await post({ symbol: 'BTC/USD', side: 'buy', qty: '0.00005', type: 'market', time_in_force: 'gtc' });
    expect(answer).toMatchObject({ status: 422, body: { message: 'qty must be >= 0.0001, the min_order_size of BTC/USD' } });
    await expect(
      broker.submitOrder({ symbol: 'BTC/USD', side: 'buy', notional: 1, clientOrderId: 'tb-s4-open', timeInForce: 'gtc' }),
    ).rejects.toThrow(RejectedError);
  });

  test('when the stock market is closed, then a crypto order still fills and a stock order waits', async () => {
    fake.closeMarket();
    await broker.submitOrder({ symbol: 'BTC/USD', side: 'buy', qty: 0.01, clientOrderId: 'tb-s5-open', timeInForce: 'gtc' });
    await broker.submitOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'tb-s6-open' });
    const [crypto, stock] = [await broker.findOrderByClientId('tb-s5-open'), await broker.findOrderByClientId('tb-s6-open')];
    expect([crypto?.status, stock?.status]).toEqual(['filled', 'accepted']);
  });

  test('when the price falls through a crypto stop-limit, then it fills at its limit or better, and its target is cancelled', async () => {
    fake.setPosition('BTC/USD', 0.5, 60_000);
    const stop = { type: 'stop_limit' as const, stopPrice: 58_800, limitPrice: 58_212 };
    const sl = await broker.submitOrder({ symbol: 'BTC/USD', side: 'sell', qty: 0.5, clientOrderId: 'tb-s7-sl', resting: stop });
    const tp = await broker.submitOrder({
      symbol: 'BTC/USD',
      side: 'sell',
      qty: 0.5,
      clientOrderId: 'tb-s7-tp',
      resting: { type: 'limit', limitPrice: 63_000 },
    });
    fake.setPrice('BTC/USD', 58_000); // through the stop, below its limit: it waits as a limit
    expect((await broker.getOrder(sl.id)).status).toBe('new');
    fake.setPrice('BTC/USD', 58_500);
    expect((await broker.getOrder(sl.id)).status).toBe('filled');
    fake.setPrice('BTC/USD', 64_000); // the target no longer has coins to sell: it never makes a short
    expect((await broker.getOrder(tp.id)).status).toBe('canceled');
    expect(fake.positions()).toEqual([]);
  });
});
