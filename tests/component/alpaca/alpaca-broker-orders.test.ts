/**
 * AlpacaBroker's orders over real HTTP: the real SDK against the wire-level
 * fake. Covers how orders are sent and mapped, their life cycles (filled,
 * waiting for the open, rejected, expired, cancelled) and the bot's own
 * working orders.
 */
import { NotFoundError, RejectedError } from '../../../src/domain/errors';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake, broker } = alpacaFixture({ keyId: 'PKTEST', secretKey: 'sekret' });
/** The body Alpaca gets for a market day order with these fields (amounts as strings). */
const marketDayOrder = (fields: Record<string, string>) => ({ type: 'market', time_in_force: 'day', ...fields });

describe('orders', () => {
  test('when a notional buy is submitted, then Alpaca gets a market day order with string amounts and answers accepted', async () => {
    fake.setPrice('AAPL', 200);
    const order = await broker.submitOrder({ symbol: 'AAPL', side: 'buy', notional: 1000.559, clientOrderId: 'sig-1-open' });
    expect(fake.requests.at(-1)?.body).toEqual(
      marketDayOrder({ symbol: 'AAPL', side: 'buy', notional: '1000.55', client_order_id: 'sig-1-open' }),
    );
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
    expect(fake.requests.at(-1)?.body).toEqual(marketDayOrder({ symbol: 'MSFT', side: 'sell', qty: '3', client_order_id: 'sig-3-open' }));
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
