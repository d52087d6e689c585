/**
 * The fake's trade_updates events, received by the real SDK's TradingStream:
 * one event per order change with the order in its REST shape (new, fill,
 * partial_fill, pending_cancel, canceled, rejected, an OCO leg's trigger),
 * pushed without another request.
 */
import { eventually, pause } from '../../support/trade-stream';
import { fakeStreamFixture } from '../../support/fake-stream-fixture';

const { fake, updates, listen, eventsOf, call, market } = fakeStreamFixture();

describe('order events', () => {
  test('when a market order is placed, then new and fill are pushed without another request, the fill with its execution', async () => {
    await listen();
    fake.setPosition('AAPL', 2, 180);
    const placed = await market({ symbol: 'AAPL', side: 'buy', qty: '3', client_order_id: 'mkt-1' });
    expect(placed.body.status).toBe('accepted');
    const requestsAfterPost = fake.requests.length;
    await eventually(() => eventsOf('mkt-1').length === 2, 'new and fill');
    expect(fake.requests.length).toBe(requestsAfterPost);
    expect(eventsOf('mkt-1')).toEqual(['new', 'fill']);
    const [created, fill] = updates;
    expect(created.order.status).toBe('new');
    expect(fill).toMatchObject({ price: '190', qty: '3', positionQty: '5' });
    expect(fill.executionId).toEqual(expect.any(String));
    expect(fill.timestamp).toBeInstanceOf(Date);
    expect(fill.order).toMatchObject({ status: 'filled', filledQty: '3', filledAvgPrice: '190', clientOrderId: 'mkt-1' });
  });

  test('when an order fills after a delay, then the fill is pushed once the delay passes, with no request', async () => {
    await listen();
    fake.setFillDelay(80);
    await market({ symbol: 'SPY', side: 'buy', qty: '1', client_order_id: 'late-1' });
    const requests = fake.requests.length;
    await eventually(() => eventsOf('late-1').length === 1, 'new');
    await pause(30);
    expect(eventsOf('late-1')).toEqual(['new']);
    await eventually(() => eventsOf('late-1').includes('fill'), 'the delayed fill');
    expect(fake.requests.length).toBe(requests);
  });

  test('when an open order is cancelled, then pending_cancel and canceled are pushed', async () => {
    await listen();
    fake.setFillMode('manual');
    const placed = await market({ symbol: 'MSFT', side: 'buy', qty: '1', client_order_id: 'cxl-1' });
    await eventually(() => eventsOf('cxl-1').length === 1, 'new');
    expect((await call('DELETE', `/v2/orders/${placed.body.id}`)).status).toBe(204);
    await eventually(() => eventsOf('cxl-1').length === 3, 'pending_cancel and canceled');
    expect(eventsOf('cxl-1')).toEqual(['new', 'pending_cancel', 'canceled']);
    expect(updates[2].order.status).toBe('canceled');
  });

  test('when an accepted order is rejected, then new and rejected are pushed', async () => {
    await listen();
    fake.rejectNext();
    await market({ symbol: 'TSLA', side: 'buy', qty: '1', client_order_id: 'rej-1' });
    await eventually(() => eventsOf('rej-1').length === 2, 'new and rejected');
    expect(eventsOf('rej-1')).toEqual(['new', 'rejected']);
    expect(updates[1].order.status).toBe('rejected');
  });

  test('when part of an order fills, then partial_fill carries that part, and the rest fills later as fill', async () => {
    await listen();
    fake.setFillMode('manual');
    await market({ symbol: 'AAPL', side: 'buy', qty: '10', client_order_id: 'part-1' });
    await eventually(() => eventsOf('part-1').length === 1, 'new');
    expect(fake.partialFill('part-1', 4)).toMatchObject({ status: 'partially_filled', filled_qty: '4' });
    fake.setPrice('AAPL', 200);
    fake.fillOpenOrders();
    await eventually(() => eventsOf('part-1').length === 3, 'partial_fill and fill');
    const [, partial, fill] = updates;
    expect(partial).toMatchObject({ event: 'partial_fill', qty: '4', price: '190', positionQty: '4' });
    expect(partial.order).toMatchObject({ status: 'partially_filled', filledQty: '4' });
    expect(fill).toMatchObject({ event: 'fill', qty: '6', price: '200', positionQty: '10' });
    expect(fill.order).toMatchObject({ status: 'filled', filledQty: '10', filledAvgPrice: '196' });
    expect(fake.activities().map((a) => [a.type, a.qty, a.leaves_qty, a.cum_qty])).toEqual([
      ['partial_fill', '4', '6', '4'],
      ['fill', '6', '0', '10'],
    ]);
    expect(fake.positions()[0]).toMatchObject({ qty: '10', avg_entry_price: '196' });
  });

  test('when a partly filled sell is open, then only its unfilled shares stay held', async () => {
    fake.setPosition('AAPL', 10, 150);
    fake.setFillMode('manual');
    await market({ symbol: 'AAPL', side: 'sell', qty: '10', client_order_id: 'part-sell' });
    fake.partialFill('part-sell', 7);
    expect(fake.positions()[0]).toMatchObject({ qty: '3', qty_available: '0' });
  });

  test("when an OCO leg triggers, then the leg's fill and the parent's cancel are pushed", async () => {
    await listen();
    fake.setPosition('AAPL', 5, 190);
    const oco = await call('POST', '/v2/orders', {
      symbol: 'AAPL',
      side: 'sell',
      qty: '5',
      type: 'limit',
      time_in_force: 'gtc',
      order_class: 'oco',
      client_order_id: 'oco-1',
      take_profit: { limit_price: '210' },
      stop_loss: { stop_price: '180' },
    });
    const legId = oco.body.legs[0].id as string;
    await eventually(() => updates.length === 2, 'new for parent and leg');
    fake.setPrice('AAPL', 179);
    await eventually(() => updates.length === 4, 'leg fill and parent cancel');
    expect(updates.slice(2).map((u) => [u.order.id, u.event])).toEqual([
      [legId, 'fill'],
      [oco.body.id, 'canceled'],
    ]);
    expect(updates[2]).toMatchObject({ positionQty: '0', price: '179' });
  });
});
