/**
 * The fake's extended hours, through the real SDK (AlpacaBroker): the
 * calendar (`GET /v2/calendar`, holidays and early closes) read into New
 * York sessions; outside regular hours only DAY limit orders for whole
 * shares marked extended_hours trade, others wait for the open; a wrong
 * extended-hours order gets Alpaca's 422; stops don't trigger outside
 * regular hours. Each refusal is paired with the nearest order allowed.
 */
import { RejectedError } from '../../../src/domain/errors';
import type { OrderRequest } from '../../../src/domain/types';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake, broker } = alpacaFixture();
let seq = 0;

function order(o: Omit<OrderRequest, 'clientOrderId'>) {
  return broker.submitOrder({ clientOrderId: `ext-${++seq}`, ...o });
}

/** An extended-hours DAY limit buy of AAPL (priced 190 unless told). */
const extended = (o: Partial<OrderRequest> = {}): Omit<OrderRequest, 'clientOrderId'> => ({
  symbol: 'AAPL',
  side: 'buy',
  qty: 2,
  limitPrice: 190,
  timeInForce: 'day',
  extendedHours: true,
  ...o,
});

async function refusal(o: Omit<OrderRequest, 'clientOrderId'>): Promise<RejectedError> {
  const err = await order(o).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RejectedError);
  return err as RejectedError;
}

describe('the calendar', () => {
  it("when a weekday is asked for, then its sessions come in New York time, as Alpaca's session_open and session_close", async () => {
    expect(await broker.getTradingDay('2025-10-08')).toEqual({
      date: '2025-10-08',
      sessionOpen: '2025-10-08T08:00:00.000Z',
      open: '2025-10-08T13:30:00.000Z',
      close: '2025-10-08T20:00:00.000Z',
      sessionClose: '2025-10-09T00:00:00.000Z',
    });
    expect(fake.requests.at(-1)).toMatchObject({ host: 'trading', path: '/v2/calendar' });
  });

  it('when the date is a holiday or a weekend, then there is no trading day', async () => {
    fake.setHoliday('2025-10-08');
    expect(await broker.getTradingDay('2025-10-08')).toBeNull();
    expect(await broker.getTradingDay('2025-10-11')).toBeNull();
  });

  it('when the day closes early, then regular hours end at the early close and after-hours at 17:00', async () => {
    fake.setEarlyClose('2025-11-28', '13:00');
    expect(await broker.getTradingDay('2025-11-28')).toMatchObject({
      close: '2025-11-28T18:00:00.000Z',
      sessionClose: '2025-11-28T22:00:00.000Z',
    });
  });
});

describe("Alpaca's refusals of extended-hours orders", () => {
  it('when a market order is marked extended_hours, then it is refused with 422, and the limit version is accepted', async () => {
    const err = await refusal(extended({ limitPrice: undefined }));
    expect([err.status, err.message]).toEqual([422, 'extended hours order must be DAY limit orders']);
    await expect(order(extended())).resolves.toMatchObject({ symbol: 'AAPL' });
  });

  it('when an extended-hours limit is GTC, then it is refused with 422', async () => {
    const err = await refusal(extended({ timeInForce: 'gtc' }));
    expect([err.status, err.message]).toEqual([422, 'extended hours order must be DAY limit orders']);
  });

  it('when an extended-hours limit is for fractional shares, then it is refused with 422', async () => {
    const err = await refusal(extended({ qty: 1.5 }));
    expect([err.status, err.message]).toEqual([422, 'fractional orders cannot be extended hours']);
  });

  it('when a notional order is marked extended_hours, then it is refused with 422', async () => {
    const err = await refusal(extended({ qty: undefined, notional: 500, limitPrice: undefined }));
    expect(err.status).toBe(422);
  });
});

describe('trading outside regular hours', () => {
  it('when it is pre-market, then an extended-hours limit the price reaches fills, and a market order waits for the open', async () => {
    fake.setSession('pre');
    await order(extended({ qty: 2 }));
    await order({ symbol: 'MSFT', side: 'buy', qty: 1 });
    const status = (symbol: string) => fake.orders.find((o) => o.symbol === symbol)?.status;
    expect([status('AAPL'), status('MSFT')]).toEqual(['filled', 'accepted']);
    expect(fake.orders.find((o) => o.symbol === 'AAPL')).toMatchObject({ extended_hours: true, type: 'limit', time_in_force: 'day' });
    fake.openMarket();
    expect(status('MSFT')).toBe('filled');
  });

  it('when it is after-hours, then a limit without extended_hours waits for the open', async () => {
    fake.setSession('after');
    await order(extended({ extendedHours: undefined }));
    expect(fake.orders[0].status).toBe('accepted');
  });

  it('when the price falls through a stop after hours, then the stop does not trigger until regular hours', async () => {
    fake.setPosition('AAPL', 10, 190);
    await broker.submitOrder({
      symbol: 'AAPL',
      side: 'sell',
      qty: 10,
      clientOrderId: 'tb-x-sl',
      resting: { type: 'stop', stopPrice: 180 },
    });
    fake.setSession('after');
    fake.setPrice('AAPL', 170);
    expect(fake.orders[0].status).not.toBe('filled');
    fake.setSession('regular');
    fake.setPrice('AAPL', 170);
    expect(fake.orders[0].status).toBe('filled');
  });

  it('when the market is closed (no session), then even an extended-hours limit waits', async () => {
    fake.setSession('closed');
    await order(extended());
    expect(fake.orders[0].status).toBe('accepted');
  });
});
