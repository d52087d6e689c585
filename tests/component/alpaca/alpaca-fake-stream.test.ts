/**
 * The fake's trade_updates stream, spoken to by the real SDK's TradingStream
 * (and, for the protocol's corners, by a plain WebSocket client): Alpaca's
 * authentication, listen, one event per order change with the order in its
 * REST shape, binary frames, duplicates, drops, refusals, and the REST
 * catch-up after a gap.
 */
import type { streaming } from '@alpacahq/alpaca-trade-api';
import { connectClient, type ClientSocket } from '../../fakes/fake-alpaca/ws-package';
import { eventually, pause, sdkStreamFor, streamUrl } from '../../support/trade-stream';
import { callAlpaca } from '../../support/alpaca-broker';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake } = alpacaFixture({ rateLimitPerMinute: false });
let stream: streaming.TradingStream | undefined;
let updates: streaming.TradeUpdate[];

const call = (method: string, path: string, body?: unknown) => callAlpaca(fake, method, path, body);
const market = (o: Record<string, unknown>) => call('POST', '/v2/orders', { type: 'market', time_in_force: 'day', ...o });

/** Starts the SDK's stream, collecting every update, and waits until the fake counts it as listening. */
async function listen(overrides: Partial<streaming.TradingStreamOptions> = {}): Promise<streaming.TradingStream> {
  const s = sdkStreamFor(fake, overrides);
  stream = s;
  s.onTradeUpdate((u) => updates.push(u));
  // Asked before connecting, the SDK sends one listen after each authentication (asked in onConnect, it sends two).
  s.subscribeTradeUpdates();
  s.connect();
  await eventually(() => fake.streamClients() === 1, 'the SDK to listen');
  return s;
}

/** The events received for one client order id, in order. */
const eventsOf = (clientOrderId: string) => updates.filter((u) => u.order.clientOrderId === clientOrderId).map((u) => u.event);

/** A plain WebSocket client that records each frame and whether it was binary. */
async function rawClient(): Promise<{ socket: ClientSocket; frames: { json: Record<string, unknown>; binary: boolean }[] }> {
  const socket = connectClient(streamUrl(fake));
  const frames: { json: Record<string, unknown>; binary: boolean }[] = [];
  socket.on('message', (data, binary) => frames.push({ json: JSON.parse(data.toString('utf8')), binary }));
  await new Promise<void>((resolve, reject) => socket.on('open', resolve).on('error', reject));
  return { socket, frames };
}

beforeEach(() => {
  updates = [];
});
afterEach(async () => {
  stream?.disconnect();
  stream = undefined;
  await eventually(() => fake.streamClients() === 0, 'the stream to close');
});

describe('authentication and listen', () => {
  test("when the SDK authenticates with the account's keys and listens, then it is authorized and listening to trade_updates", async () => {
    const s = sdkStreamFor(fake);
    stream = s;
    const subscribed: unknown[] = [];
    s.on('subscription', (streams: unknown) => subscribed.push(streams));
    s.subscribeTradeUpdates();
    s.connect();
    expect((await s.whenAuthenticated()).authenticated).toBe(true);
    await eventually(() => subscribed.length === 1, 'the listening answer');
    expect(subscribed).toEqual([['trade_updates']]);
    expect(fake.streamClients()).toBe(1);
    expect(fake.requests.filter((r) => r.path === '/stream')).toHaveLength(1);
  });

  test('when the keys are wrong, then the fake answers unauthorized, closes, and the SDK gives up', async () => {
    const s = sdkStreamFor(fake, { credentials: { keyId: fake.keyId, secret: 'wrong' } });
    stream = s;
    s.connect();
    const result = await s.whenAuthenticated();
    expect(result).toMatchObject({ authenticated: false, status: 'server_rejected' });
    await pause(100);
    expect(fake.requests.filter((r) => r.path === '/stream')).toHaveLength(1); // no reconnect with refused keys
    expect(fake.streamClients()).toBe(0);
  });

  test('when a client uses the documented auth form, then it is authorized; a listen before it is refused without listening', async () => {
    const { socket, frames } = await rawClient();
    socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
    await eventually(() => frames.length === 1, 'the refusal');
    expect(frames[0].json).toEqual({ stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } });
    socket.send(JSON.stringify({ action: 'auth', key: fake.keyId, secret: fake.secretKey }));
    socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates', 'nonsense'] } }));
    await eventually(() => frames.length === 3, 'auth and listening');
    expect(frames[1].json).toEqual({ stream: 'authorization', data: { status: 'authorized', action: 'authenticate' } });
    expect(frames[2].json).toEqual({ stream: 'listening', data: { streams: ['trade_updates'] } });
    expect(fake.streamClients()).toBe(1);
    socket.close();
  });

  test('when the stream is unavailable, then connecting fails and the SDK keeps trying until it is back', async () => {
    fake.setStreamAvailable(false);
    const errors: string[] = [];
    const s = sdkStreamFor(fake);
    stream = s;
    s.onError((e) => errors.push(e));
    s.subscribeTradeUpdates();
    s.connect();
    await eventually(() => fake.requests.filter((r) => r.path === '/stream').length >= 3, 'three refused attempts');
    expect(fake.streamClients()).toBe(0);
    expect(errors.join(' ')).toMatch(/503/);
    fake.setStreamAvailable(true);
    await eventually(() => fake.streamClients() === 1, 'the SDK to connect once available');
  });
});

describe('order events', () => {
  test('when a market order is placed, then new and fill are pushed without another request, the fill with its execution', async () => {
    await listen();
    fake.setPosition('AAPL', 2, 180);
    const placed = await market({ symbol: 'AAPL', side: 'buy', qty: '3', client_order_id: 'mkt-1' });
    expect(placed.body.status).toBe('accepted');
    const requestsAfterPost = fake.requests.length;
    await eventually(() => eventsOf('mkt-1').length === 2, 'new and fill');
    expect(fake.requests.length).toBe(requestsAfterPost);
    expect(eventsOf('mkt-1')).toEqual(['new', 'fill']);
    const [created, fill] = updates;
    expect(created.order.status).toBe('new');
    expect(fill).toMatchObject({ price: '190', qty: '3', positionQty: '5' });
    expect(fill.executionId).toEqual(expect.any(String));
    expect(fill.timestamp).toBeInstanceOf(Date);
    expect(fill.order).toMatchObject({ status: 'filled', filledQty: '3', filledAvgPrice: '190', clientOrderId: 'mkt-1' });
  });

  test('when an order fills after a delay, then the fill is pushed once the delay passes, with no request', async () => {
    await listen();
    fake.setFillDelay(80);
    await market({ symbol: 'SPY', side: 'buy', qty: '1', client_order_id: 'late-1' });
    const requests = fake.requests.length;
    await eventually(() => eventsOf('late-1').length === 1, 'new');
    await pause(30);
    expect(eventsOf('late-1')).toEqual(['new']);
    await eventually(() => eventsOf('late-1').includes('fill'), 'the delayed fill');
    expect(fake.requests.length).toBe(requests);
  });

  test('when an open order is cancelled, then pending_cancel and canceled are pushed', async () => {
    await listen();
    fake.setFillMode('manual');
    const placed = await market({ symbol: 'MSFT', side: 'buy', qty: '1', client_order_id: 'cxl-1' });
    await eventually(() => eventsOf('cxl-1').length === 1, 'new');
    expect((await call('DELETE', `/v2/orders/${placed.body.id}`)).status).toBe(204);
    await eventually(() => eventsOf('cxl-1').length === 3, 'pending_cancel and canceled');
    expect(eventsOf('cxl-1')).toEqual(['new', 'pending_cancel', 'canceled']);
    expect(updates[2].order.status).toBe('canceled');
  });

  test('when an accepted order is rejected, then new and rejected are pushed', async () => {
    await listen();
    fake.rejectNext();
    await market({ symbol: 'TSLA', side: 'buy', qty: '1', client_order_id: 'rej-1' });
    await eventually(() => eventsOf('rej-1').length === 2, 'new and rejected');
    expect(eventsOf('rej-1')).toEqual(['new', 'rejected']);
    expect(updates[1].order.status).toBe('rejected');
  });

  test('when part of an order fills, then partial_fill carries that part, and the rest fills later as fill', async () => {
    await listen();
    fake.setFillMode('manual');
    await market({ symbol: 'AAPL', side: 'buy', qty: '10', client_order_id: 'part-1' });
    await eventually(() => eventsOf('part-1').length === 1, 'new');
    expect(fake.partialFill('part-1', 4)).toMatchObject({ status: 'partially_filled', filled_qty: '4' });
    fake.setPrice('AAPL', 200);
    fake.fillOpenOrders();
    await eventually(() => eventsOf('part-1').length === 3, 'partial_fill and fill');
    const [, partial, fill] = updates;
    expect(partial).toMatchObject({ event: 'partial_fill', qty: '4', price: '190', positionQty: '4' });
    expect(partial.order).toMatchObject({ status: 'partially_filled', filledQty: '4' });
    expect(fill).toMatchObject({ event: 'fill', qty: '6', price: '200', positionQty: '10' });
    expect(fill.order).toMatchObject({ status: 'filled', filledQty: '10', filledAvgPrice: '196' });
    expect(fake.activities().map((a) => [a.type, a.qty, a.leaves_qty, a.cum_qty])).toEqual([
      ['partial_fill', '4', '6', '4'],
      ['fill', '6', '0', '10'],
    ]);
    expect(fake.positions()[0]).toMatchObject({ qty: '10', avg_entry_price: '196' });
  });

  test('when a partly filled sell is open, then only its unfilled shares stay held', async () => {
    fake.setPosition('AAPL', 10, 150);
    fake.setFillMode('manual');
    await market({ symbol: 'AAPL', side: 'sell', qty: '10', client_order_id: 'part-sell' });
    fake.partialFill('part-sell', 7);
    expect(fake.positions()[0]).toMatchObject({ qty: '3', qty_available: '0' });
  });

  test("when an OCO leg triggers, then the leg's fill and the parent's cancel are pushed", async () => {
    await listen();
    fake.setPosition('AAPL', 5, 190);
    const oco = await call('POST', '/v2/orders', {
      symbol: 'AAPL',
      side: 'sell',
      qty: '5',
      type: 'limit',
      time_in_force: 'gtc',
      order_class: 'oco',
      client_order_id: 'oco-1',
      take_profit: { limit_price: '210' },
      stop_loss: { stop_price: '180' },
    });
    const legId = oco.body.legs[0].id as string;
    await eventually(() => updates.length === 2, 'new for parent and leg');
    fake.setPrice('AAPL', 179);
    await eventually(() => updates.length === 4, 'leg fill and parent cancel');
    expect(updates.slice(2).map((u) => [u.order.id, u.event])).toEqual([
      [legId, 'fill'],
      [oco.body.id, 'canceled'],
    ]);
    expect(updates[2]).toMatchObject({ positionQty: '0', price: '179' });
  });
});

describe('frames and delivery', () => {
  test(
    'when an event is sent, then it is a binary frame by default ' + 'and a text frame on request, with the order as REST shows it',
    async () => {
      const { socket, frames } = await rawClient();
      socket.send(JSON.stringify({ action: 'authenticate', data: { key_id: fake.keyId, secret_key: fake.secretKey } }));
      socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
      await eventually(() => fake.streamClients() === 1, 'listening');
      fake.setFillMode('manual');
      const placed = await market({ symbol: 'QQQ', side: 'buy', qty: '1' });
      await eventually(() => frames.length === 3, 'new');
      fake.setStreamFrames('text');
      await call('DELETE', `/v2/orders/${placed.body.id}`);
      await eventually(() => frames.length === 5, 'pending_cancel and canceled');
      expect(frames.map((f) => f.binary)).toEqual([true, true, true, false, false]);
      const last = frames[4].json as { stream: string; data: { event: string; order: Record<string, unknown> } };
      expect(last.stream).toBe('trade_updates');
      expect(last.data.event).toBe('canceled');
      expect(last.data.order).toEqual((await call('GET', `/v2/orders/${placed.body.id}`)).body);
      socket.close();
    },
  );

  test('when duplicates are on, then every event arrives twice, the same execution both times', async () => {
    await listen();
    fake.setStreamDuplicates(true);
    await market({ symbol: 'AMD', side: 'buy', qty: '2', client_order_id: 'dup-1' });
    await eventually(() => eventsOf('dup-1').length === 4, 'two of each');
    expect(eventsOf('dup-1')).toEqual(['new', 'new', 'fill', 'fill']);
    expect(updates[2].executionId).toBe(updates[3].executionId);
  });

  test('when a delay is set, then events arrive no sooner than it', async () => {
    await listen();
    fake.setStreamDelay(120);
    const sent = Date.now();
    await market({ symbol: 'NVDA', side: 'buy', qty: '1', client_order_id: 'slow-1' });
    await eventually(() => eventsOf('slow-1').length === 2, 'both events');
    expect(Date.now() - sent).toBeGreaterThanOrEqual(110);
  });
});

describe('drops and catching up', () => {
  test(
    'when connections drop, then the SDK reconnects; events while ' + 'it was away are lost, and REST by submission time finds them',
    async () => {
      const s = await listen();
      const reconnected = jest.fn();
      s.onReconnected(reconnected);
      fake.setStreamAvailable(false);
      const downSince = new Date(Date.now() - 1).toISOString();
      fake.dropStreamConnections();
      expect(fake.streamClients()).toBe(0);
      await market({ symbol: 'GOOGL', side: 'buy', qty: '1', client_order_id: 'missed-1' });
      await call('GET', '/v2/account'); // the fill happens on this request, with nobody listening
      fake.setStreamAvailable(true);
      await eventually(() => fake.streamClients() === 1 && reconnected.mock.calls.length === 1, 'the reconnect');
      await market({ symbol: 'GOOGL', side: 'buy', qty: '1', client_order_id: 'after-1' });
      await eventually(() => eventsOf('after-1').length === 2, 'events after the reconnect');
      expect(eventsOf('missed-1')).toEqual([]);
      const caught = await call('GET', `/v2/orders?status=all&after=${downSince}&direction=asc&nested=true`);
      expect(caught.body.map((o: { client_order_id: string; status: string }) => [o.client_order_id, o.status])).toEqual([
        ['missed-1', 'filled'],
        ['after-1', 'filled'],
      ]);
    },
  );

  test(
    'when an order submitted before `after` fills later, then the ' + 'catch-up query does not list it: Alpaca filters by submission time',
    async () => {
      fake.setFillMode('manual');
      await market({ symbol: 'AAPL', side: 'buy', qty: '1', client_order_id: 'old-1' });
      await pause(5);
      const after = new Date().toISOString();
      fake.fillOpenOrders();
      const listed = await call('GET', `/v2/orders?status=all&after=${after}&direction=asc&nested=true`);
      expect(listed.body).toEqual([]);
      const closed = await call('GET', '/v2/orders?status=closed&direction=desc&limit=500');
      expect(closed.body[0]).toMatchObject({ client_order_id: 'old-1', status: 'filled' });
      expect(Date.parse(closed.body[0].updated_at)).toBeGreaterThan(Date.parse(after) - 1);
    },
  );

  test('when nobody listens, then the fake settles lazily as before: an order fills only on a later request', async () => {
    await market({ symbol: 'SPY', side: 'buy', qty: '1' });
    await pause(40);
    expect(fake.activities()).toEqual([]);
    await call('GET', '/v2/clock');
    expect(fake.activities()).toHaveLength(1);
  });
});
