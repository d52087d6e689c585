/**
 * AlpacaOrderStream over a real WebSocket to the fake Alpaca, through the
 * real SDK: updates reach the handlers as domain Orders, the state follows
 * the subscription, drops and refusals turn into 'polling' and back to
 * 'stream' with the time to catch up from, and nothing the stream sends can
 * break it.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AlpacaOrderStream, type AlpacaOrderStreamOptions, orderStreamUrl } from '../../../src/adapters/alpaca';
import type { Order } from '../../../src/domain/types';
import { memoryLogger } from '../../../src/logger';
import type { OrderEventState } from '../../../src/ports';
import { loadSettings } from '../../../src/settings';
import { orderEventSource } from '../../../src/wiring';
import { alpacaFixture } from '../../support/alpaca-fixture';
import { eventually, pause } from '../../support/trade-stream';

const MARGIN_MS = 1000;

const { fake, broker } = alpacaFixture({ rateLimitPerMinute: false });
let source: AlpacaOrderStream | undefined;
let logger: ReturnType<typeof memoryLogger>;
let orders: { order: Order; event: string }[];
let states: { state: OrderEventState; since: Date }[];

/** The adapter's options for the fake: its keys and URL, the test's logger, no pings. */
const fakeOptions = () => ({ keyId: fake.keyId, secretKey: fake.secretKey, paper: true, baseUrl: fake.url, logger, pingIntervalMs: 0 });

/** Starts the adapter against the fake (fast reconnects, no pings) and records what it tells. */
function startSource(overrides: Partial<AlpacaOrderStreamOptions> = {}): AlpacaOrderStream {
  const s = new AlpacaOrderStream({
    ...fakeOptions(),
    initialReconnectMs: 20,
    maxReconnectMs: 50,
    subscribeTimeoutMs: 300,
    authRetryMs: 150,
    catchUpMarginMs: MARGIN_MS,
    ...overrides,
  });
  source = s;
  s.start({ onOrder: (order, event) => orders.push({ order, event }), onState: (state, since) => states.push({ state, since }) });
  return s;
}

const streamed = () => eventually(() => source?.state === 'stream' && fake.streamClients() === 1, 'the subscription');
const eventsOf = (clientOrderId: string) => orders.filter((o) => o.order.clientOrderId === clientOrderId).map((o) => o.event);
const logged = (event: string) => logger.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);
const buy = (clientOrderId: string, qty = 1, symbol = 'AAPL') => broker.submitOrder({ symbol, side: 'buy', qty, clientOrderId });

beforeEach(() => {
  logger = memoryLogger();
  orders = [];
  states = [];
});
afterEach(async () => {
  await source?.stop();
  source = undefined;
  await eventually(() => fake.streamClients() === 0, 'the stream to close');
});

describe('subscription and updates', () => {
  test(
    "when started, then it connects to the base URL's /stream, " + 'reports stream once subscribed, with since = start less the margin',
    async () => {
      const before = Date.now();
      startSource();
      await streamed();
      expect(states).toHaveLength(1);
      expect(states[0].state).toBe('stream');
      expect(states[0].since.getTime()).toBeGreaterThanOrEqual(before - MARGIN_MS);
      expect(states[0].since.getTime()).toBeLessThanOrEqual(Date.now() - MARGIN_MS);
      expect(fake.requests.filter((r) => r.path === '/stream')).toHaveLength(1);
      expect(logged('order_events.stream')).toHaveLength(1);
    },
  );

  test('when a market order fills, then new and fill reach onOrder as domain Orders', async () => {
    startSource();
    await streamed();
    await buy('tb-s1-open', 2);
    await eventually(() => eventsOf('tb-s1-open').length === 2, 'new and fill');
    expect(eventsOf('tb-s1-open')).toEqual(['new', 'fill']);
    expect(orders[0].order).toMatchObject({ status: 'new', state: 'open', filledQty: 0, symbol: 'AAPL', side: 'buy', qty: 2 });
    expect(orders[1].order).toMatchObject({
      status: 'filled',
      state: 'filled',
      filledQty: 2,
      filledAvgPrice: 190,
      clientOrderId: 'tb-s1-open',
    });
  });

  test('when part of an order fills and then the rest, then partial_fill and fill arrive with the filled quantity so far', async () => {
    startSource();
    await streamed();
    fake.setFillMode('manual');
    await buy('tb-s2-open', 10);
    fake.partialFill('tb-s2-open', 4);
    fake.fillOpenOrders();
    await eventually(() => eventsOf('tb-s2-open').length === 3, 'new, partial_fill, fill');
    expect(orders.map((o) => [o.event, o.order.state, o.order.filledQty])).toEqual([
      ['new', 'open', 0],
      ['partial_fill', 'open', 4],
      ['fill', 'filled', 10],
    ]);
    expect(orders[1].order.status).toBe('partially_filled');
  });

  test('when an order is cancelled or rejected, then the events carry the failed order and its reason', async () => {
    startSource();
    await streamed();
    fake.setFillMode('manual');
    const placed = await buy('tb-s3-open');
    await broker.cancelOrder(placed.id);
    fake.setFillMode('immediate');
    fake.rejectNext();
    await buy('tb-s4-open', 1, 'MSFT');
    await eventually(() => eventsOf('tb-s3-open').length === 3 && eventsOf('tb-s4-open').length === 2, 'cancel and reject');
    expect(eventsOf('tb-s3-open')).toEqual(['new', 'pending_cancel', 'canceled']);
    expect(orders.find((o) => o.event === 'canceled')!.order).toMatchObject({ state: 'failed', reason: 'the order was canceled' });
    expect(orders.find((o) => o.event === 'rejected')!.order).toMatchObject({
      clientOrderId: 'tb-s4-open',
      state: 'failed',
      reason: 'Alpaca rejected the order',
    });
  });

  test('when Alpaca sends an event twice, then the adapter passes both on (the consumer applies them idempotently)', async () => {
    startSource();
    await streamed();
    fake.setStreamDuplicates(true);
    await buy('tb-s5-open');
    await eventually(() => eventsOf('tb-s5-open').length === 4, 'every event twice');
    expect(eventsOf('tb-s5-open')).toEqual(['new', 'new', 'fill', 'fill']);
  });
});

describe('down, refused and back', () => {
  test(
    'when the connection drops, then polling is reported at once, and ' +
      'stream again after the reconnect with since = the drop less the margin',
    async () => {
      startSource();
      await streamed();
      fake.setStreamAvailable(false);
      const dropped = Date.now();
      fake.dropStreamConnections();
      await eventually(() => states.length === 2, 'polling');
      expect(states[1].state).toBe('polling');
      expect(source!.state).toBe('polling');
      await buy('tb-s6-open'); // placed and filled while nobody listens
      await broker.getAccount();
      fake.setStreamAvailable(true);
      await eventually(() => states.length === 3, 'stream again');
      expect(states[2].state).toBe('stream');
      expect(Math.abs(states[2].since.getTime() - (dropped - MARGIN_MS))).toBeLessThan(200);
      expect(eventsOf('tb-s6-open')).toEqual([]);
      // The event was missed while down: the app catches up by reading the orders it follows.
      expect((await broker.findOrderByClientId('tb-s6-open'))?.state).toBe('filled');
      expect(logged('order_events.polling')[0]).toMatchObject({ level: 'warn' });
    },
  );

  test('when connecting is refused, then polling is reported with the reason, and stream once the stream is back', async () => {
    fake.setStreamAvailable(false);
    startSource();
    await eventually(() => states.length === 1, 'polling');
    expect(states[0].state).toBe('polling');
    expect(String(logged('order_events.polling')[0].reason)).toMatch(/503/);
    await eventually(() => fake.requests.filter((r) => r.path === '/stream').length >= 3, 'retries');
    fake.setStreamAvailable(true);
    await eventually(() => states.length === 2, 'stream');
    expect(states[1].state).toBe('stream');
  });

  test('when nothing answers the connection, then polling is reported after the subscribe timeout', async () => {
    const silent: Server = createServer(() => undefined); // accepts TCP, never answers the upgrade
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      startSource({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, subscribeTimeoutMs: 150 });
      await pause(80);
      expect(states).toEqual([]);
      await eventually(() => states.length === 1, 'polling after the timeout');
      expect(states[0].state).toBe('polling');
      expect(String(logged('order_events.polling')[0].reason)).toMatch(/not subscribed yet/);
    } finally {
      await source?.stop();
      silent.close();
    }
  });

  test('when Alpaca refuses the keys, then it stays polling, logs an error naming the APCA keys, and tries again later', async () => {
    startSource({ secretKey: 'wrong' });
    await eventually(() => states.length === 1, 'polling');
    expect(states[0].state).toBe('polling');
    expect(String(logged('order_events.auth_refused')[0].reason)).toMatch(/APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
    await eventually(() => fake.requests.filter((r) => r.path === '/stream').length === 2, 'a second attempt after authRetryMs');
    expect(source!.state).toBe('polling');
  });
});

describe('robustness and stop', () => {
  test('when a frame is not JSON or lacks its order, then it is logged and later updates still arrive', async () => {
    startSource();
    await streamed();
    fake.sendStreamRaw('not json');
    fake.sendStreamRaw(JSON.stringify({ stream: 'trade_updates', data: { event: 'fill' } }));
    await buy('tb-s7-open');
    await eventually(() => eventsOf('tb-s7-open').length === 2, "the order's events");
    expect(logged('order_events.bad_frame')).toHaveLength(2);
    expect(source!.state).toBe('stream');
  });

  test('when the handler throws, then the failure is logged and the next update is still delivered', async () => {
    const s = new AlpacaOrderStream(fakeOptions());
    source = s;
    const seen: string[] = [];
    s.start({
      onOrder: (_order, event) => {
        seen.push(event);
        if (event === 'new') throw new Error('consumer broke');
      },
      onState: () => undefined,
    });
    await streamed();
    await buy('tb-s8-open');
    await eventually(() => seen.length === 2, 'both events');
    expect(logged('order_events.update_failed')[0]).toMatchObject({ orderEvent: 'new', error: 'consumer broke' });
  });

  test('when stopped, then the connection closes and nothing more is delivered', async () => {
    const s = startSource();
    await streamed();
    await s.stop();
    await eventually(() => fake.streamClients() === 0, 'the close');
    await buy('tb-s9-open');
    await pause(60);
    expect(orders).toEqual([]);
    expect(states.map((x) => x.state)).toEqual(['stream']);
    expect(s.state).toBe('polling');
  });

  test(
    'when the settings have Alpaca and ORDER_EVENTS is stream (the default), then ' +
      'the wiring gives a stream at APCA_API_BASE_URL; polling or no Alpaca gives none',
    async () => {
      const env = {
        WEBHOOK_SECRET: 'webhook-secret-0123456789',
        API_TOKEN: 'api-token-0123456789abcdef',
        APCA_API_KEY_ID: fake.keyId,
        APCA_API_SECRET_KEY: fake.secretKey,
        APCA_API_BASE_URL: fake.url,
      };
      expect(await orderEventSource(loadSettings({ ...env, ORDER_EVENTS: 'polling' }), logger)).toBeUndefined();
      expect(await orderEventSource(loadSettings({}), logger)).toBeUndefined();
      const s = (await orderEventSource(loadSettings(env), logger))!;
      source = s as AlpacaOrderStream;
      expect(s.state).toBe('polling');
      expect(fake.requests.filter((r) => r.path === '/stream')).toHaveLength(0); // nothing opens before start
      s.start({ onOrder: () => undefined, onState: (state, since) => states.push({ state, since }) });
      await streamed();
    },
  );

  test('when a base URL is set, then the stream URL is its origin with ws(s): and /stream; without one the SDK picks its host', () => {
    expect(orderStreamUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/stream');
    expect(orderStreamUrl('https://paper-api.alpaca.markets/')).toBe('wss://paper-api.alpaca.markets/stream');
    expect(orderStreamUrl(undefined)).toBeUndefined();
  });
});
