/** A position is shared by every row of its symbol: when one row's trade changes it, the others stop claiming the old side. */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Reason'];
const CONFIG = [
  HEADER,
  ['AAPL', '5000', 'TRUE', '15 Min', '', ''],
  ['AAPL', '5000', 'TRUE', '30 Min', '', ''],
  ['AAPL', '5000', 'TRUE', '1 Hour', '', ''],
];
/** The Order Status column of each AAPL row, in every version of the tab the writes produced. */
const waitStatus = (tf: string, status: string) => stack.waitStatus('AAPL', tf, status);
const snapshots = () => stack.sheets.history('Config').map((rows) => rows.slice(1).map((r) => r[4] ?? ''));

describe('shared positions', () => {
  it(
    'when AAPL 15 Min is long and AAPL 30 Min SELLs, then the 15 Min ' + 'row becomes WAITING "closed by 30 Min SELL" in the same write',
    async () => {
      stack = await startStack({ config: CONFIG });
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
      await waitStatus('15 Min', 'FILLED');
      await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30' });
      await waitStatus('30 Min', 'FILLED');
      await waitStatus('15 Min', 'WAITING');
      expect(stack.row('AAPL', '15 Min').Reason).toBe('closed by 30 Min SELL');
      // No version of the sheet ever showed both rows FILLED: the rewrite landed with the trade's own status.
      expect(snapshots().some(([m15, m30]) => m15 === 'FILLED' && m30 === 'FILLED')).toBe(false);
      expect(stack.statusOf('AAPL', '1 Hour')).toBe(''); // a row that claimed nothing is left alone
    },
  );

  it(
    'when rows said FILLED and ALREADY LONG and another row closes the ' +
      'position, then they all become WAITING and reconcile finds nothing left',
    async () => {
      stack = await startStack({ config: CONFIG });
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '1H' }); // ALREADY LONG
      await waitStatus('1 Hour', 'ALREADY LONG');
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30' }); // ALREADY LONG, same side as held
      await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '30', id: 'c30' });
      await waitStatus('30 Min', 'WAITING');
      await waitStatus('15 Min', 'WAITING');
      await waitStatus('1 Hour', 'WAITING');
      expect(stack.row('AAPL', '1 Hour').Reason).toBe('closed by 30 Min CLOSE');
      expect(await stack.server.reconcile()).toBe(0);
    },
  );

  it(
    'when another row reverses a short to long, then the rows that claimed ' +
      'short (FILLED, ALREADY SHORT) become WAITING "closed by 30 Min BUY"',
    async () => {
      stack = await startStack({ config: CONFIG });
      await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
      await waitStatus('15 Min', 'FILLED');
      await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '1H' });
      await waitStatus('1 Hour', 'ALREADY SHORT');
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30' });
      await waitStatus('30 Min', 'FILLED');
      await waitStatus('15 Min', 'WAITING');
      await waitStatus('1 Hour', 'WAITING');
      expect(stack.row('AAPL', '1 Hour').Reason).toBe('closed by 30 Min BUY');
    },
  );
});
