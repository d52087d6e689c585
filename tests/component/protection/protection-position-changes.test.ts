/**
 * Protective exits held at the broker when a later signal changes the
 * position: a CLOSE, a SELL that flips, a strategy taking half off, a
 * pyramiding add and POST /flatten each cancel the resting exits first and
 * leave the new position (if any) protected, with no 403 or second exit; a
 * stop that fills while a CLOSE cancels it opens no short.
 */
import { protectionConfig, protectionSuite } from '../../support/protection-stack';
import { API_TOKEN } from '../../support/stack';
import { longResized } from '../../support/strategy-alert';

const { stack, start, waitStatus, resting } = protectionSuite();

describe('protective exits', () => {
  it(
    'when a CLOSE comes with the OCO pair resting, then the pair is cancelled ' +
      'and confirmed first, one sell closes, and no 403 or second exit follows',
    async () => {
      await start({ config: protectionConfig('2', '5', '') });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's4' });
      await stack.waitResting(2);
      const res = await stack.signal({ action: 'close', symbol: 'AAPL', timeframe: '15', id: 's5' });
      expect(res.status).toBe(200);
      await waitStatus('WAITING');
      expect(stack.brokerQty('AAPL')).toBe(0);
      expect(resting()).toEqual([]);
      stack.alpaca.setPrice('AAPL', 150); // where the stop would have been: nothing more may fill
      stack.alpaca.setPrice('AAPL', 260);
      const sells = stack.alpaca.orders.filter((o) => o.side === 'sell' && o.status === 'filled');
      expect(sells).toHaveLength(1);
      expect(stack.brokerQty('AAPL')).toBe(0);
      expect(stack.logs.join('\n')).not.toMatch(/insufficient qty|wash trade/);
    },
  );

  it(
    'when a SELL flips a protected long, then the protection is cancelled ' +
      'first, the short opens, and the short gets its own mirror-image protection',
    async () => {
      await start({ config: protectionConfig('2', '5', '') });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's6' });
      await stack.waitResting(2);
      await stack.signal({ action: 'sell', symbol: 'AAPL', timeframe: '15', id: 's7' });
      await stack.until(() => stack.brokerQty('AAPL') === -25 && resting().length === 2, 'a protected short');
      expect(resting().find((o) => o.type === 'stop')).toMatchObject({ side: 'buy', stop_price: '204' });
      expect(resting().find((o) => o.type === 'limit')).toMatchObject({ side: 'buy', limit_price: '190' });
      stack.alpaca.setPrice('AAPL', 150);
      await waitStatus('WAITING', 'take profit filled at $150.00');
      expect(stack.brokerQty('AAPL')).toBe(0);
      expect(stack.logs.join('\n')).not.toMatch(/insufficient qty|wash trade/);
    },
  );

  it(
    'when a strategy takes half off a protected long, then the stop is cancelled ' +
      'first, half is sold, and a new stop protects the remaining whole shares',
    async () => {
      await start({ config: protectionConfig('2', '', '') });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's11' });
      await stack.waitResting(1);
      const first = resting()[0];
      await stack.signal(longResized('sell', 2, 1, 's12'));
      await stack.until(
        () => stack.brokerQty('AAPL') === 13 && resting().length === 1 && resting()[0].id !== first.id,
        'a smaller protected long',
      );
      expect(resting()[0]).toMatchObject({ type: 'stop', qty: '13', stop_price: '196' });
      expect(stack.alpaca.orders.find((o) => o.id === first.id)!.status).toBe('canceled');
    },
  );

  it(
    'when the stop fills while a CLOSE is cancelling it, then the ' + 'CLOSE plans again from flat and sends nothing: no short is opened',
    async () => {
      await start({ config: protectionConfig('2', '', '') });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's13' });
      await stack.waitResting(1);
      stack.alpaca.setCancelLosesRace(true);
      await stack.signal({ action: 'close', symbol: 'AAPL', timeframe: '15', id: 's14' });
      await waitStatus('WAITING');
      expect(stack.brokerQty('AAPL')).toBe(0);
      expect(stack.alpaca.orders.filter((o) => o.side === 'sell').map((o) => `${o.type} ${o.status}`)).toEqual(['stop filled']);
    },
  );

  it('when a pyramiding add comes to a protected long, then the stop is replaced by one for the whole, larger position', async () => {
    await start({ config: protectionConfig('2', '', '') });
    stack.alpaca.setPrice('AAPL', 200);
    await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's18' });
    await stack.waitResting(1);
    await stack.signal(longResized('buy', 1, 2, 's19'));
    await stack.until(
      () => stack.brokerQty('AAPL') === 50 && resting().length === 1 && resting()[0].qty === '50',
      'one stop for 50 shares',
    );
    expect(stack.alpaca.orders.filter((o) => o.type === 'stop').map((o) => `${o.qty} ${o.status}`)).toEqual(['25 canceled', '50 new']);
  });

  it(
    'when POST /flatten comes with the OCO pair resting, then the pair is ' +
      'cancelled before the close, the long is sold once, and nothing rests after',
    async () => {
      await start({ config: protectionConfig('2', '5', '') });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's20' });
      await stack.waitResting(2);
      expect((await stack.call('/flatten', { method: 'POST', token: API_TOKEN })).body.status).toBe('flattened');
      expect(stack.brokerQty('AAPL')).toBe(0);
      expect(resting()).toEqual([]);
      stack.alpaca.setPrice('AAPL', 150);
      expect(stack.alpaca.orders.filter((o) => o.side === 'sell' && o.status === 'filled')).toHaveLength(1);
    },
  );
});
