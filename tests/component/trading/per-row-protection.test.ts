/**
 * POSITION_MODE=per-row beside protective exits: a resting stop guards the
 * symbol's whole position, so per-row mode places none, refuses the entries
 * of a row that asks for them, and cancels any left from shared mode before
 * it sends an order; they are never counted as a row's working order.
 */
import { rowBooks } from '../../support/per-row';
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'Order Status', 'Reason', 'Position'];
// At $200 a share: 15 Min = 25 shares with a 2% stop, 30 Min = 15 shares without protection.
const CONFIG = [HEADER, ['AAPL', '5000', 'TRUE', '15 Min', '2', '', '', ''], ['AAPL', '3000', 'TRUE', '30 Min', '', '', '', '']];

const row = (tf: string) => stack.row('AAPL', tf);
const brokerNet = () => stack.brokerQty('AAPL');
const books = () => rowBooks(stack);
const resting = () => stack.restingOrders();
const waitRow = (tf: string, status: string) => stack.waitStatus('AAPL', tf, status);

describe('per-row positions with protective exits', () => {
  it(
    'when a per-row row asks for a stop loss, then its entry is FAILED with the ' +
      'reason, nothing is sent and no stop rests, while its CLOSE still answers',
    async () => {
      stack = await startStack({ config: CONFIG, env: { POSITION_MODE: 'per-row' } });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'pp-1' });
      await waitRow('15 Min', 'FAILED');
      expect(row('15 Min').Reason).toMatch(/^stop_loss_pct, take_profit_pct and trail_pct need POSITION_MODE=shared/);
      expect(stack.alpaca.orders).toEqual([]);
      // The unprotected row beside it trades as usual, and gets no stop either.
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30', id: 'pp-2' });
      await waitRow('30 Min', 'FILLED');
      expect(brokerNet()).toBe(15);
      expect(resting()).toEqual([]);
      await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'pp-3' });
      await waitRow('15 Min', 'WAITING');
      expect(stack.alpaca.orders).toHaveLength(1);
    },
  );

  it(
    'when a protected shared position is switched to per-row, then the stop is not a ' +
      "row's working order, and another row's order cancels it first so it never fills after",
    async () => {
      stack = await startStack({ config: CONFIG });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'ps-1' });
      await stack.until(() => resting().length === 1 && brokerNet() === 25, 'a protected long of 25');
      await stack.restart({ POSITION_MODE: 'per-row' });
      expect(books()).toEqual({ '15m': 25 });
      // Held already: nothing to send, so the stop stays, and it was not taken for a queued order of the row.
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'ps-2' });
      await waitRow('15 Min', 'ALREADY LONG');
      expect(resting()).toHaveLength(1);
      // The 30 Min row shorts its own 15 shares: the stop (on all 25) is cancelled and confirmed before the sell.
      await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'ps-3' });
      await waitRow('30 Min', 'FILLED');
      await stack.until(() => stack.server.ctx.journal.unfinishedOrders().length === 0, 'orders settled');
      expect(resting()).toEqual([]);
      expect(brokerNet()).toBe(10);
      expect(books()).toEqual({ '15m': 25, '30m': -15 });
      stack.alpaca.setPrice('AAPL', 150); // below where the stop was: nothing more may fill
      expect(brokerNet()).toBe(10);
      expect(stack.alpaca.orders.filter((o) => o.status === 'filled').map((o) => `${o.side} ${o.filled_qty}`)).toEqual([
        'buy 25',
        'sell 15',
      ]);
      expect(stack.logs.join('\n')).toMatch(/protection\.cancelled/);
      expect(stack.logs.join('\n')).not.toMatch(/insufficient qty/);
    },
  );
});
