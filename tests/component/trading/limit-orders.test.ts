/**
 * order_type limit, end to end over HTTP against the fake Alpaca (AAPL's last
 * trade at $190): entries priced through the last trade on the tick, sized in
 * shares at the limit, cancelled when not filled in LIMIT_TIMEOUT_SECONDS
 * (WAITING, or FILLED with the part that filled), a cancel that loses to a
 * fill, a restart before the timeout, and the Config cells that can't be read.
 */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const HEADER = [
  'symbol',
  'position_size',
  'active',
  'Time Frame',
  'stop_loss_pct',
  'order_type',
  'limit_offset_pct',
  'Order Status',
  'Reason',
];
/** A stack whose Config has one AAPL 15 Min row with these cells. */
const startWith = (cells: { size?: string; type?: string; offset?: string; stop?: string }, env: Record<string, string> = {}) =>
  startStack({
    config: [
      HEADER,
      ['AAPL', cells.size ?? '$5,000', 'TRUE', '15 Min', cells.stop ?? '', cells.type ?? 'limit', cells.offset ?? '', 'READY', ''],
    ],
    env: { LIMIT_TIMEOUT_SECONDS: '1', ...env },
  });
/** AAPL twice: a 15 Min limit row of 10 shares and a 1 Hour market row of 5. */
const LIMIT_AND_MARKET_ROWS = [
  HEADER,
  ['AAPL', '10 shares', 'TRUE', '15 Min', '', 'limit', '', 'READY', ''],
  ['AAPL', '5 shares', 'TRUE', '1 Hour', '', '', '', 'READY', ''],
];
const buy = () => stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
/** The fake's limit orders, oldest first. */
const limits = () => stack.alpaca.orders.filter((o) => o.type === 'limit');
const waitForOrder = () => stack.until(() => stack.alpaca.orders.length > 0, 'an order at the fake');

describe('limit entries (shared positions)', () => {
  it('when the row is a limit row with limit_offset_pct 0.25, then it buys shares at $190 × 1.0025 on the tick, and FILLED', async () => {
    stack = await startWith({ offset: '0.25' });
    await buy();
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Reason: '' });
    const [order] = stack.alpaca.orders;
    // 190.475 on the cent's tick; $5,000 as shares at the limit, never a notional.
    expect(order).toMatchObject({ type: 'limit', side: 'buy', time_in_force: 'day', limit_price: '190.48', notional: null });
    expect(Number(order.qty)).toBeCloseTo(Math.floor((5000 / 190.48) * 1e9) / 1e9, 9);
    expect(stack.brokerQty('AAPL')).toBeCloseTo(26.249, 3);
  });

  it('when limit_offset_pct is blank, then the limit is 0.1% through the last trade: a short sells whole shares at $189.81', async () => {
    stack = await startWith({});
    await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.alpaca.orders[0]).toMatchObject({
      type: 'limit',
      side: 'sell',
      limit_price: '189.81',
      qty: String(Math.floor(5000 / 189.81)),
    });
  });

  it('when order_type is blank, then the order goes at market as before', async () => {
    stack = await startWith({ type: '' });
    await buy();
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.alpaca.orders[0]).toMatchObject({ type: 'market', notional: '5000' });
  });

  it('when the limit is not filled in LIMIT_TIMEOUT_SECONDS, then it is cancelled: WAITING "limit not filled in 1 s"', async () => {
    stack = await startWith({});
    stack.alpaca.setFillMode('manual', 'AAPL'); // the price never comes to the limit
    await buy();
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: 'limit not filled in 1 s' }, 8000);
    expect(stack.orderLines(true)).toEqual([expect.stringMatching(/^buy [\d.]+ canceled$/)]);
    expect(stack.brokerQty('AAPL')).toBe(0);
  });

  it(
    "when another row's BUY comes while a limit entry works and the limit times out unfilled, then that BUY still " +
      'goes: it waited behind the limit, not ALREADY LONG on it',
    async () => {
      stack = await startStack({
        config: LIMIT_AND_MARKET_ROWS,
        env: { LIMIT_TIMEOUT_SECONDS: '2' },
      });
      stack.alpaca.setLimitsWait(true); // the price never comes to the limit; market orders still fill
      await buy();
      await waitForOrder();
      const second = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '60' });
      expect(second.body.status).toBe('ORDER SUBMITTED');
      await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: 'limit not filled in 2 s' }, 8000);
      await stack.waitStatus('AAPL', '1 Hour', 'FILLED', 8000);
      expect(stack.orderLines(true)).toEqual(['buy 10 canceled', 'buy 5 filled']);
      expect(stack.brokerQty('AAPL')).toBe(5);
    },
  );

  it('when another row BUYs while a limit entry works and the limit fills, then that BUY is ALREADY LONG', async () => {
    stack = await startStack({
      config: LIMIT_AND_MARKET_ROWS,
      env: { LIMIT_TIMEOUT_SECONDS: '5' },
    });
    stack.alpaca.setLimitsWait(true);
    await buy();
    await waitForOrder();
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '60' });
    stack.alpaca.fillOpenOrders();
    await stack.waitStatus('AAPL', '1 Hour', 'ALREADY LONG', 8000);
    expect(stack.orderLines(true)).toEqual(['buy 10 filled']);
    expect(stack.brokerQty('AAPL')).toBe(10);
  });

  it('when part of the limit filled before the timeout, then it is FILLED with the part, and the stop covers that part', async () => {
    stack = await startWith({ size: '10 shares', stop: '2' }, { LIMIT_TIMEOUT_SECONDS: '2' });
    stack.alpaca.setFillMode('manual', 'AAPL');
    await buy();
    await waitForOrder();
    stack.alpaca.partialFill(String(stack.alpaca.orders[0].id), 4);
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Reason: /limit filled 4 of 10 in 2 s/ }, 8000);
    expect(limits()[0]).toMatchObject({ status: 'canceled', filled_qty: '4' });
    expect(stack.brokerQty('AAPL')).toBe(4);
    await stack.waitResting(1);
    expect(stack.restingOrders()[0]).toMatchObject({ type: 'stop', qty: '4' });
  });

  it('when the cancel at the timeout loses the race to a fill, then the fill wins: FILLED, the whole order held', async () => {
    stack = await startWith({ size: '10 shares' });
    stack.alpaca.setFillMode('manual', 'AAPL');
    stack.alpaca.setCancelLosesRace(true);
    await buy();
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Reason: '' }, 8000);
    expect(stack.orderLines(true)).toEqual(['buy 10 filled']);
    expect(stack.brokerQty('AAPL')).toBe(10);
  });

  it('when the server restarts between sending the limit and its timeout, then the journaled timeout still cancels it', async () => {
    stack = await startWith({ size: '10 shares' }, { LIMIT_TIMEOUT_SECONDS: '3' });
    stack.alpaca.setFillMode('manual', 'AAPL');
    await buy();
    await waitForOrder();
    // The new setting is far away: only the deadline journaled with the order can end it in time.
    await stack.restart({ LIMIT_TIMEOUT_SECONDS: '600' });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: 'limit not filled in 3 s' }, 10_000);
    expect(stack.orderLines(true)).toEqual(['buy 10 canceled']);
  });
});

describe('limit Config cells', () => {
  it.each([
    ['order_type', { type: 'stop' }, /^order_type "stop" must be market or limit, e\.g\. limit/],
    ['limit_offset_pct', { offset: 'a bit' }, /^limit_offset_pct "a bit" must be a percentage from -5 to 5, e\.g\. 0\.1/],
    ['limit_offset_pct', { offset: '12' }, /^limit_offset_pct "12" must be a percentage/],
  ])('when %s cannot be read, then the row is FAILED naming it with a good value, and nothing is sent', async (_col, cells, reason) => {
    stack = await startWith(cells);
    const res = await buy();
    expect(res.body).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(reason) });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FAILED', Reason: reason });
    expect(stack.alpaca.orders).toHaveLength(0);
  });
});
