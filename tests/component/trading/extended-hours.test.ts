/**
 * Extended hours over HTTP: a row with extended_hours TRUE trades in
 * pre-market and after-hours as Alpaca requires there (a DAY limit marked
 * extended_hours, whole shares, priced 0.1% through the latest trade on the
 * tick), every leg of a flip included; the sessions come from Alpaca's
 * calendar (holidays, early closes); other rows and other hours keep
 * OFF_HOURS_POLICY. The server's clock is set to a New York date and time;
 * the fake is put in the matching session.
 */
import { newYorkClock } from '../../support/new-york-clock';
import { waitUntil } from '../../support/sheet-row';
import { startStack, type Stack } from '../../support/stack';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** A Wednesday. */
const DAY = '2025-10-08';
const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Reason', 'extended_hours'];
const CONFIG = [
  HEADER,
  ['AAPL', '$5,000', 'TRUE', '15 Min', '', '', 'TRUE'],
  ['MSFT', '5000', 'TRUE', '15 Min', '', '', ''],
  ['TSLA', '2000', 'TRUE', '15 Min', '', '', 'maybe'],
];

/** The fields of the fake's orders that extended hours decide. */
const terms = (o: Record<string, unknown>) => ({
  side: o.side,
  type: o.type,
  time_in_force: o.time_in_force,
  extended_hours: o.extended_hours,
  qty: o.qty,
  notional: o.notional,
  limit_price: o.limit_price,
});

async function at(date: string, hhmm: string, session: 'pre' | 'regular' | 'after' | 'closed', env = {}): Promise<Stack> {
  stack = await startStack({ config: CONFIG, clock: newYorkClock(date, hhmm), env });
  stack.alpaca.setSession(session);
  return stack;
}

describe('extended_hours TRUE in pre-market and after-hours', () => {
  it(
    'when a BUY comes at 08:00 New York, then a DAY limit with extended_hours goes for whole shares, priced 0.1% over ' +
      'the latest trade on the tick, and it fills in the session',
    async () => {
      const s = await at(DAY, '08:00', 'pre');
      const answer = await s.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', price: '185' });
      // $5,000 at the limit 190 × 1.001 = 190.19: 26 whole shares.
      expect(answer.body).toMatchObject({ status: 'ORDER SUBMITTED', qty: 26 });
      expect(s.alpaca.orders.map(terms)).toEqual([
        { side: 'buy', type: 'limit', time_in_force: 'day', extended_hours: true, qty: '26', notional: null, limit_price: '190.19' },
      ]);
      await s.waitStatus('AAPL', '15 Min', 'FILLED');
      expect(s.brokerQty('AAPL')).toBe(26);
    },
  );

  it('when a CLOSE comes at 17:00 New York, then the long is sold with an extended-hours limit under the last trade', async () => {
    const s = await at(DAY, '17:00', 'after');
    s.alpaca.setPosition('AAPL', 10, 180);
    expect((await s.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect(s.alpaca.orders.map(terms)).toEqual([
      { side: 'sell', type: 'limit', time_in_force: 'day', extended_hours: true, qty: '10', notional: null, limit_price: '189.81' },
    ]);
    await s.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(s.brokerQty('AAPL')).toBe(0);
  });

  it('when a flip comes in pre-market, then both legs go as extended-hours limits', async () => {
    const s = await at(DAY, '07:00', 'pre');
    s.alpaca.setPosition('AAPL', -5, 195);
    await s.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await s.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(s.alpaca.orders.map(terms)).toEqual([
      { side: 'buy', type: 'limit', time_in_force: 'day', extended_hours: true, qty: '5', notional: null, limit_price: '190.19' },
      { side: 'buy', type: 'limit', time_in_force: 'day', extended_hours: true, qty: '26', notional: null, limit_price: '190.19' },
    ]);
    expect(s.brokerQty('AAPL')).toBe(26);
  });

  it('when the price is under a sell limit, then the order waits in the session until the price comes to it', async () => {
    const s = await at(DAY, '18:30', 'after');
    s.alpaca.setPosition('AAPL', 10, 180);
    // The latest trade says 200 while the book trades at 190: the sell limit 199.80 is above the market.
    const trade = { t: new Date().toISOString(), x: 'V', p: 200, s: 100, c: ['@'], i: 1, z: 'C' };
    s.alpaca.inject({ host: 'data', path: /\/trades\/latest$/, status: 200, body: { symbol: 'AAPL', trade }, times: Infinity });
    expect((await s.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect(s.alpaca.orders[0]).toMatchObject({ status: 'accepted', limit_price: '199.8', extended_hours: true });
    expect(s.statusOf('AAPL', '15 Min')).not.toBe('WAITING');
    s.alpaca.setPrice('AAPL', 200);
    await s.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(s.brokerQty('AAPL')).toBe(0);
  });

  it('when a pre-market entry is not filled in LIMIT_TIMEOUT_SECONDS, then it is cancelled and the row is WAITING', async () => {
    const s = await at(DAY, '08:00', 'pre', { LIMIT_TIMEOUT_SECONDS: '2' });
    // The latest trade says 180 while the book trades at 190: the buy limit 180.18 is under the market.
    const trade = { t: new Date().toISOString(), x: 'V', p: 180, s: 100, c: ['@'], i: 1, z: 'C' };
    s.alpaca.inject({ host: 'data', path: /\/trades\/latest$/, status: 200, body: { symbol: 'AAPL', trade }, times: Infinity });
    await s.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(s.alpaca.orders[0]).toMatchObject({ type: 'limit', limit_price: '180.18', extended_hours: true });
    await s.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: 'limit not filled in 2 s' });
    expect(s.alpaca.orders[0].status).toBe('canceled');
    expect(s.brokerQty('AAPL')).toBe(0);
  });

  it('when an after-hours exit is not filled in time, then it goes again as a re-priced extended-hours limit, not at market', async () => {
    const s = await at(DAY, '18:30', 'after', { LIMIT_TIMEOUT_SECONDS: '2' });
    s.alpaca.setPosition('AAPL', 10, 180);
    const trade = { t: new Date().toISOString(), x: 'V', p: 200, s: 100, c: ['@'], i: 1, z: 'C' };
    s.alpaca.inject({ host: 'data', path: /\/trades\/latest$/, status: 200, body: { symbol: 'AAPL', trade }, times: Infinity });
    await s.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    await waitUntil(
      () => s.alpaca.orders.length === 2,
      () => 'the exit sent again',
    );
    expect(s.alpaca.orders[0].status).toBe('canceled');
    expect(s.alpaca.orders[1]).toMatchObject({
      side: 'sell',
      type: 'limit',
      time_in_force: 'day',
      extended_hours: true,
      qty: '10',
      limit_price: '199.8',
      client_order_id: expect.stringMatching(/-close2$/),
    });
    s.alpaca.setPrice('AAPL', 200);
    await s.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(s.brokerQty('AAPL')).toBe(0);
  });

  it('when $5,000 is under one whole share at the limit, then the row is FAILED saying so and nothing is sent', async () => {
    const s = await at(DAY, '08:00', 'pre');
    s.alpaca.setPrice('AAPL', 6000);
    const answer = await s.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(answer.body).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('less than 1 whole share of AAPL') });
    await s.waitStatus('AAPL', '15 Min', 'FAILED');
    expect(s.alpaca.orders).toHaveLength(0);
  });
});

describe('OFF_HOURS_POLICY still applies', () => {
  it('when a row without extended_hours gets a BUY at 08:00 New York, then it is FAILED "market closed" as before', async () => {
    const s = await at(DAY, '08:00', 'pre');
    expect((await s.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body).toMatchObject({
      status: 'FAILED',
      reason: 'market closed',
    });
    expect(s.alpaca.orders).toHaveLength(0);
  });

  it('when a row without extended_hours gets a BUY at 08:00 with OFF_HOURS_POLICY=queue, then a market order is queued', async () => {
    const s = await at(DAY, '08:00', 'pre', { OFF_HOURS_POLICY: 'queue', FLIP_FILL_TIMEOUT_SECONDS: '1' });
    await s.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' });
    expect(s.alpaca.orders.map(terms)).toEqual([
      { side: 'buy', type: 'market', time_in_force: 'day', extended_hours: false, qty: null, notional: '5000', limit_price: null },
    ]);
    expect(s.alpaca.orders[0].status).toBe('accepted');
  });

  it('when extended_hours is TRUE but it is 21:00 New York (no session), then it is FAILED "market closed"', async () => {
    const s = await at(DAY, '21:00', 'closed');
    expect((await s.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
      status: 'FAILED',
      reason: 'market closed',
    });
    expect(s.alpaca.orders).toHaveLength(0);
  });

  it('when extended_hours is TRUE at 08:00 on a holiday (the calendar has no day), then it is closed: FAILED "market closed"', async () => {
    const s = await at(DAY, '08:00', 'pre');
    s.alpaca.setHoliday(DAY);
    expect((await s.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
      status: 'FAILED',
      reason: 'market closed',
    });
    expect(s.alpaca.orders).toHaveLength(0);
  });

  it('when the day closes early at 13:00, at 14:00 New York it is after-hours: the order goes as an extended-hours limit', async () => {
    const friday = '2025-11-28';
    const s = await at(friday, '14:00', 'after');
    s.alpaca.setEarlyClose(friday, '13:00');
    await s.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(s.alpaca.orders.map(terms)).toEqual([
      { side: 'buy', type: 'limit', time_in_force: 'day', extended_hours: true, qty: '26', notional: null, limit_price: '190.19' },
    ]);
    await s.waitStatus('AAPL', '15 Min', 'FILLED');
  });

  it('when extended_hours is TRUE in regular hours, then the order is the usual market order', async () => {
    const s = await at(DAY, '11:00', 'regular');
    await s.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(s.alpaca.orders.map(terms)).toEqual([
      { side: 'buy', type: 'market', time_in_force: 'day', extended_hours: false, qty: null, notional: '5000', limit_price: null },
    ]);
  });
});

describe('the extended_hours cell', () => {
  it('when it holds neither TRUE nor FALSE, then the row is FAILED with a reason naming the column and an example', async () => {
    const s = await at(DAY, '11:00', 'regular');
    const reason = 'extended_hours "maybe" must be TRUE or FALSE (a checkbox), e.g. TRUE';
    expect((await s.signal({ action: 'BUY', symbol: 'TSLA', timeframe: '15' })).body).toMatchObject({ status: 'FAILED', reason });
    await s.waitRow('TSLA', '15 Min', { 'Order Status': 'FAILED', Reason: reason });
    expect(s.alpaca.orders).toHaveLength(0);
  });
});
