/**
 * Shared positions whose orders end late or are refused: the protection
 * invariant holds whenever the news comes. A refused add or CLOSE puts the
 * stop back at once; a stop fill noticed late touches only its own group;
 * a stop missing at a restart is placed under a new client order id.
 */
import { protectionConfig } from '../../support/protection-stack';
import { startStack, type Stack } from '../../support/stack';
import { longResized } from '../../support/strategy-alert';

let stack: Stack;
afterEach(async () => stack?.stop());

// At $200 a share: 25 shares, with a 2% stop at $196.
const CONFIG = protectionConfig('2', '', '');

const waitStatus = (status: string, reason?: RegExp) => stack.waitRow('AAPL', '15 Min', { 'Order Status': status, Reason: reason });
const stops = () => stack.alpaca.orders.filter((o) => o.type === 'stop').map((o) => `${o.qty} ${o.status}`);

/** A protected long of 25 AAPL bought at $200, its stop resting; returns the stop as Alpaca holds it. */
async function protectedLong(id: string): Promise<Record<string, unknown>> {
  stack.alpaca.setPrice('AAPL', 200);
  await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id });
  await stack.waitResting(1);
  await waitStatus('FILLED');
  expect(stack.brokerQty('AAPL')).toBe(25);
  return stack.restingOrders()[0];
}

describe('a refused add or CLOSE keeps the position protected', () => {
  it(
    'when an add to a protected long is refused for buying power, then the stop ' +
      "rests again at once for the shares held, and the row shows the broker's reason",
    async () => {
      stack = await startStack({ config: CONFIG });
      const first = await protectedLong('r1');
      stack.alpaca.setAccount({ cash: 100 }); // the add costs $5,000: Alpaca refuses it with 403
      const add = await stack.signal(longResized('buy', 1, 2, 'r2'));
      expect(add.status).toBeLessThan(500);
      await stack.waitResting(1);
      expect(stack.restingOrders()[0]).toMatchObject({ type: 'stop', side: 'sell', qty: '25', stop_price: '196' });
      expect(stack.restingOrders()[0].id).not.toBe(first.id); // the first was cancelled before the add was sent
      expect(stack.brokerQty('AAPL')).toBe(25);
      await waitStatus('FAILED', /insufficient buying power/);
    },
  );

  it("when a CLOSE of a protected long is refused, then the stop rests again at once and the row shows the broker's reason", async () => {
    stack = await startStack({ config: CONFIG });
    await protectedLong('r3');
    stack.alpaca.inject({
      method: 'POST',
      path: /^\/v2\/orders$/,
      status: 403,
      body: { code: 40310000, message: 'trading is suspended for AAPL' },
      when: (b: any) => b?.type === 'market',
    });
    const close = await stack.signal({ action: 'close', symbol: 'AAPL', timeframe: '15', id: 'r4' });
    expect(close.status).toBeLessThan(500);
    await stack.waitResting(1);
    expect(stack.restingOrders()[0]).toMatchObject({ type: 'stop', side: 'sell', qty: '25', stop_price: '196' });
    expect(stack.brokerQty('AAPL')).toBe(25);
    await waitStatus('FAILED', /trading is suspended for AAPL/);
  });

  it(
    'when a CLOSE of a protected long is accepted and then rejected, ' + 'then the stop rests again and the row shows the rejection',
    async () => {
      stack = await startStack({ config: CONFIG });
      await protectedLong('r5');
      stack.alpaca.rejectNext();
      await stack.signal({ action: 'close', symbol: 'AAPL', timeframe: '15', id: 'r6' });
      await waitStatus('FAILED', /rejected/);
      await stack.waitResting(1);
      expect(stack.restingOrders()[0]).toMatchObject({ type: 'stop', side: 'sell', qty: '25' });
      expect(stack.brokerQty('AAPL')).toBe(25);
    },
  );
});

describe('a stop fill noticed late', () => {
  it(
    "when the old stop's fill is noticed only after a re-entry placed a new " +
      "stop, then the new stop still rests and the row keeps the re-entry's FILLED",
    async () => {
      // Orders are polled (no stream), and the old stop cannot be read until the fault is cleared.
      stack = await startStack({ config: CONFIG, env: { ORDER_EVENTS: 'polling', SHUTDOWN_TIMEOUT_SECONDS: '1' } });
      const old = await protectedLong('l1');
      const blind = stack.alpaca.inject({ method: 'GET', path: new RegExp(`^/v2/orders/${old.id}$`), status: 500, times: Infinity });
      stack.alpaca.setPrice('AAPL', 195); // the stop fills at the broker; the bot does not see it
      stack.alpaca.setPrice('AAPL', 200);
      expect(stack.brokerQty('AAPL')).toBe(0);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 'l2' });
      await stack.until(() => stack.brokerQty('AAPL') === 25 && stack.restingOrders().length === 1, 'the re-entry and its own stop');
      const fresh = stack.restingOrders()[0];
      expect(fresh.id).not.toBe(old.id);
      await waitStatus('FILLED');
      blind.remove();
      // The restart reads the old stop at last: filled long ago.
      await stack.restart();
      const { journal, locks } = stack.server.ctx;
      const owner = journal.getOrder(String(old.client_order_id))!.signalId;
      await stack.until(() => /stop loss filled at \$195\.00/.test(journal.getSignal(owner)?.reason ?? ''), "the old stop's fill settled");
      await locks.run('AAPL', async () => undefined); // whatever its settling set off under the lock is done
      await stack.server.reconcile();
      expect(stack.restingOrders().map((o) => o.id)).toEqual([fresh.id]);
      expect(stops()).toEqual(['25 filled', '25 new']);
      expect(stack.brokerQty('AAPL')).toBe(25);
      expect(stack.statusOf('AAPL', '15 Min')).toBe('FILLED');
    },
  );
});

describe('a stop missing at a restart', () => {
  it(
    'when the stop was cancelled while the bot was down, then the restart places a ' +
      'new one under a new client order id (-sl2), and no protection.failed is logged',
    async () => {
      stack = await startStack({ config: CONFIG, env: { SHUTDOWN_TIMEOUT_SECONDS: '1' } });
      const stop = await protectedLong('m1');
      expect(stop.client_order_id).toMatch(/-sl$/);
      const logged = stack.logs.length;
      await stack.restart({}, async () => {
        const res = await fetch(`${stack.alpaca.url}/v2/orders/${stop.id}`, {
          method: 'DELETE',
          headers: { 'APCA-API-KEY-ID': stack.alpaca.keyId, 'APCA-API-SECRET-KEY': stack.alpaca.secretKey },
        });
        expect(res.status).toBe(204);
      });
      await stack.waitResting(1);
      expect(stack.restingOrders()[0]).toMatchObject({
        type: 'stop',
        side: 'sell',
        qty: '25',
        stop_price: '196',
        client_order_id: `${String(stop.client_order_id)}2`,
      });
      expect(stack.logs.slice(logged).join('\n')).not.toMatch(/protection\.failed|must be unique/);
      expect(stack.statusOf('AAPL', '15 Min')).not.toBe('FAILED');
    },
  );
});
