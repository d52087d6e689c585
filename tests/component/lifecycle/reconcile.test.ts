/** Reconciling with the broker: a position the journal believes open but the broker no longer holds. */
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

describe('reconcile', () => {
  it('when a position the bot opened is closed outside it, then the row becomes WAITING and the event is logged', async () => {
    stack = await startStack();
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    stack.alpaca.setPosition('AAPL', 0); // a stop order, or the trader in Alpaca's dashboard
    expect(await stack.server.reconcile()).toBe(1);
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(stack.logs.join('\n')).toMatch(/"event":"reconcile.position_gone","symbol":"AAPL","timeframe":"15m","was":"FILLED"/);
    expect(await stack.server.reconcile()).toBe(0);
    expect(stack.alpaca.orders).toHaveLength(1);
  });

  it('when the position is still held, then nothing changes', async () => {
    stack = await startStack();
    await stack.signal({ action: 'SELL', symbol: 'MSFT', timeframe: '15' });
    await stack.waitStatus('MSFT', '15 Min', 'FILLED');
    expect(await stack.server.reconcile()).toBe(0);
    expect(stack.statusOf('MSFT', '15 Min')).toBe('FILLED');
  });

  it('when a row last closed, then a flat book is expected and nothing changes', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', 2, 180);
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(await stack.server.reconcile()).toBe(0);
  });

  it('when the server restarts after a position vanished, then the start-up reconcile marks the row WAITING', async () => {
    stack = await startStack();
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '1H' });
    await stack.waitStatus('AAPL', '1 Hour', 'FILLED');
    stack.alpaca.setPosition('AAPL', 0);
    await stack.restart();
    await stack.waitStatus('AAPL', '1 Hour', 'WAITING');
  });

  it(
    "when another timeframe's CLOSE flattened the symbol, then the other rows " +
      'that said FILLED become WAITING at once, and reconcile finds nothing left',
    async () => {
      stack = await startStack();
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '1H' });
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' }); // ALREADY LONG
      await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'close-15' });
      await stack.waitStatus('AAPL', '15 Min', 'WAITING');
      await stack.waitStatus('AAPL', '1 Hour', 'WAITING');
      expect(await stack.server.reconcile()).toBe(0);
    },
  );

  it('when the broker holds the other side than a row claims, then reconcile makes the row WAITING with the side held', async () => {
    stack = await startStack({
      config: [
        ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Reason'],
        ['AAPL', '5000', 'TRUE', '15 Min', '', ''],
      ],
    });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    stack.alpaca.setPosition('AAPL', -10, 190); // reversed outside the bot: still held, but short
    expect(await stack.server.reconcile()).toBe(1);
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(stack.row('AAPL', '15 Min').Reason).toBe('the broker holds AAPL short');
    expect(stack.logs.join('\n')).toMatch(/reconcile.side_changed/);
  });
});
