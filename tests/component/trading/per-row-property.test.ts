/**
 * POSITION_MODE=per-row, property-based over the real server: random alerts
 * over 3 rows of one symbol, sent over HTTP and traded against the fake
 * Alpaca. After each, the broker's net equals the sum of the rows' books,
 * every order is whole shares, and no order crosses zero.
 */
import fc from 'fast-check';
import { PerRowRun, rowsNet } from '../../support/per-row';
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterAll(async () => stack?.stop());

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Position'];
const CONFIG = [
  HEADER,
  ['AAPL', '5000', 'TRUE', '15 Min', '', ''],
  ['AAPL', '3000', 'TRUE', '30 Min', '', ''],
  ['AAPL', '2000', 'TRUE', '1 Hour', '', ''],
];

const alert = fc.record({
  timeframe: fc.constantFrom('15', '30', '60'),
  action: fc.constantFrom('BUY', 'SELL', 'CLOSE'),
  strategy: fc.option(
    fc.record({
      market_position: fc.constantFrom('long', 'short', 'flat'),
      market_position_size: fc.integer({ min: 1, max: 9 }),
      prev_market_position_size: fc.integer({ min: 1, max: 9 }),
    }),
    { nil: undefined },
  ),
  price: fc.integer({ min: 40, max: 400 }),
});

describe('per-row positions (property, over HTTP)', () => {
  it(
    'when random alerts hit 3 rows of AAPL, then after each the broker net ' +
      'equals the sum of the rows, orders are whole shares and none crosses zero',
    async () => {
      stack = await startStack({ config: CONFIG, env: { POSITION_MODE: 'per-row' } });
      stack.alpaca.setRateLimit(false); // a hundred alerts in seconds: Alpaca's 200 a minute is not what this checks
      let n = 0;
      const run = new PerRowRun(stack);
      await fc.assert(
        fc.asyncProperty(fc.array(alert, { minLength: 1, maxLength: 8 }), async (alerts) => {
          for (const a of alerts) {
            stack.alpaca.setPrice('AAPL', a.price);
            const res = await stack.signal({
              symbol: 'AAPL',
              timeframe: a.timeframe,
              action: a.action,
              id: `p${++n}`,
              ...(a.strategy ?? {}),
            });
            const id = res.body.signal_id as string | undefined;
            await stack.until(
              () =>
                (!id || stack.server.ctx.journal.getSignal(id)?.state === 'done') &&
                stack.server.ctx.journal.unfinishedOrders().length === 0,
              `alert ${n} settled`,
            );
            const replayNet = run.expectNoOrderCrossesZero({ wholeShares: true });
            const broker = stack.brokerQty('AAPL');
            expect(broker).toBe(rowsNet(stack));
            expect(broker).toBe(replayNet);
          }
        }),
        { numRuns: 10 },
      );
      expect(stack.alpaca.orders.length).toBeGreaterThan(10); // it traded, and not only held
    },
    120_000,
  );
});
