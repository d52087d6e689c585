/**
 * The fake's resting exits as Alpaca holds them, through AlpacaBroker and the
 * real SDK: validation, the shares a resting exit holds, OCO legs, triggers.
 */
import { RejectedError } from '../../../src/domain/errors';
import type { OrderRequest } from '../../../src/domain/types';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake, broker } = alpacaFixture();
let seq = 0;

const send = (o: Omit<OrderRequest, 'clientOrderId'>) => broker.submitOrder({ clientOrderId: `p-${++seq}`, ...o });
const refusal = async (o: Omit<OrderRequest, 'clientOrderId'>) => {
  const err = await send(o).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RejectedError);
  return err as RejectedError;
};

describe('resting exits at the fake Alpaca', () => {
  it(
    'when a market close races a resting stop, then Alpaca answers 403 ' +
      'insufficient qty available; once the stop is cancelled the close goes',
    async () => {
      fake.setPrice('AAPL', 100);
      fake.setPosition('AAPL', 10, 100);
      const stop = await send({ symbol: 'AAPL', side: 'sell', qty: 10, resting: { type: 'stop', stopPrice: 95 } });
      const err = await refusal({ symbol: 'AAPL', side: 'sell', qty: 10 });
      expect([err.status, err.message]).toEqual([403, 'insufficient qty available for order (requested: 10, available: 0)']);
      await broker.cancelOrder(stop.id);
      expect((await broker.getOrder(stop.id)).status).toBe('canceled');
      expect((await send({ symbol: 'AAPL', side: 'sell', qty: 10 })).status).toBe('accepted');
    },
  );

  it('when a price is off the tick or the quantity fractional, then the order is refused; on the tick and whole it rests', async () => {
    fake.setPosition('AAPL', 10, 100);
    expect((await refusal({ symbol: 'AAPL', side: 'sell', qty: 10, resting: { type: 'stop', stopPrice: 95.123 } })).message).toMatch(
      /sub-penny increment/,
    );
    expect((await refusal({ symbol: 'AAPL', side: 'sell', qty: 2.5, resting: { type: 'stop', stopPrice: 95 } })).message).toMatch(
      /whole shares/,
    );
    expect((await send({ symbol: 'AAPL', side: 'sell', qty: 10, resting: { type: 'stop', stopPrice: 95.12 } })).type).toBe('stop');
  });

  it(
    'when an OCO pair is placed, then its stop is a nested leg ' + 'holding no shares twice, and cancelling the parent cancels both',
    async () => {
      fake.setPrice('AAPL', 100);
      fake.setPosition('AAPL', 10, 100);
      const oco = await send({ symbol: 'AAPL', side: 'sell', qty: 10, resting: { type: 'oco', limitPrice: 110, stopPrice: 95 } });
      expect(oco.type).toBe('limit');
      expect(oco.legs).toHaveLength(1);
      expect(oco.legs![0]).toMatchObject({ type: 'stop', side: 'sell', qty: 10 });
      expect(fake.positions()[0].qty_available).toBe('0');
      await broker.cancelOrder(oco.id);
      const after = await broker.getOrder(oco.id);
      expect([after.status, after.legs![0].status]).toEqual(['canceled', 'canceled']);
    },
  );

  it('when a sell OCO has its target below its stop, then Alpaca refuses it', async () => {
    fake.setPosition('AAPL', 10, 100);
    const err = await refusal({ symbol: 'AAPL', side: 'sell', qty: 10, resting: { type: 'oco', limitPrice: 90, stopPrice: 95 } });
    expect(err.message).toBe('take_profit.limit_price must be > stop_loss.stop_price');
  });

  it('when the market is closed, then a stop reached by the price waits, and fills at the open', async () => {
    fake.setPrice('AAPL', 100);
    fake.setPosition('AAPL', 10, 100);
    const stop = await send({ symbol: 'AAPL', side: 'sell', qty: 10, resting: { type: 'stop', stopPrice: 95 } });
    fake.closeMarket();
    fake.setPrice('AAPL', 90);
    expect((await broker.getOrder(stop.id)).state).toBe('open');
    fake.openMarket();
    expect(await broker.getOrder(stop.id)).toMatchObject({ state: 'filled', filledAvgPrice: 90 });
    expect(fake.positions()).toEqual([]);
  });
});
