/**
 * Order events: Alpaca's trade_updates stream first, polling as the
 * fallback, every source feeding one reactor that applies an order's
 * meaning once, however often or late its event comes.
 */
import { API_TOKEN, startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const waitStatus = (status: string, tf = '15 Min') => stack.waitStatus('AAPL', tf, status);
const orderEvents = async () => (await stack.call('/health', { token: API_TOKEN })).body.order_events as string | undefined;
const waitEvents = async (mode: string) => {
  let last: string | undefined;
  await stack.until(async () => (last = await orderEvents()) === mode, `order_events to be ${mode} (is ${last})`, 15_000);
};
/** Reads of single orders: what polling costs. */
const orderReads = () => stack.alpaca.requests.filter((r) => r.method === 'GET' && /^\/v2\/orders\/[^/]+$/.test(r.path)).length;

describe('the trade_updates stream', () => {
  it('when the stream is up, then /health says stream, and a BUY is FILLED without polling its order', async () => {
    stack = await startStack();
    await waitEvents('stream');
    const before = orderReads();
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'e1' })).body.status).toBe('ORDER SUBMITTED');
    await waitStatus('FILLED');
    expect(orderReads() - before).toBe(0);
  });

  it('when Alpaca sends every event twice, then a flip sends one opening leg and the journal counts each fill once', async () => {
    stack = await startStack();
    await waitEvents('stream');
    stack.alpaca.setStreamDuplicates(true);
    stack.alpaca.setPosition('AAPL', 3, 180);
    await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15', id: 'e2' });
    await waitStatus('FILLED');
    await new Promise((r) => setTimeout(r, 300)); // time for every repeated event to arrive
    expect(stack.orderLines(true)).toEqual(['sell 3 filled', 'sell 26 filled']);
    expect(stack.alpaca.positions()).toEqual([expect.objectContaining({ symbol: 'AAPL', qty: '-26' })]);
    expect(stack.logs.filter((l) => l.includes('"event":"order.submitted"'))).toHaveLength(2);
  });

  it('when the stream cannot connect, then /health says polling and orders are followed by polling', async () => {
    stack = await startStack({ alpaca: {} });
    stack.alpaca.setStreamAvailable(false);
    stack.alpaca.dropStreamConnections();
    await waitEvents('polling');
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'e3' });
    await waitStatus('FILLED');
    expect(orderReads()).toBeGreaterThan(0);
  });

  it(
    'when the stream drops while an order is queued and it fills meanwhile, ' +
      'then polling takes over, the row ends FILLED, and the stream comes back',
    async () => {
      stack = await startStack({ env: { OFF_HOURS_POLICY: 'queue', FLIP_FILL_TIMEOUT_SECONDS: '1' }, alpaca: { marketOpen: false } });
      await waitEvents('stream');
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'e4' });
      await new Promise((r) => setTimeout(r, 1200)); // past the signal's own wait: only the reactor follows it now
      stack.alpaca.setStreamAvailable(false);
      stack.alpaca.dropStreamConnections();
      await waitEvents('polling');
      stack.alpaca.openMarket();
      stack.alpaca.fillOpenOrders(); // filled while the stream is down
      stack.alpaca.setStreamAvailable(true);
      await waitEvents('stream');
      await waitStatus('FILLED');
      expect(stack.orderLines(true)).toEqual(['buy $5000 filled']);
    },
  );
});
