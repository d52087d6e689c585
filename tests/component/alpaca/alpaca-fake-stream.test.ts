/**
 * The fake's trade_updates stream as a connection, spoken to by the real
 * SDK's TradingStream (and, for the protocol's corners, by a plain WebSocket
 * client): Alpaca's authentication, listen, binary and text frames,
 * duplicates, delays, drops, refusals, and the REST catch-up after a gap
 * (the events per order change are in alpaca-fake-stream-events.test.ts).
 */
import { eventually, pause, sdkStreamFor } from '../../support/trade-stream';
import { fakeStreamFixture } from '../../support/fake-stream-fixture';

const { fake, updates, listen, eventsOf, rawClient, own, call, market } = fakeStreamFixture();

describe('authentication and listen', () => {
  test("when the SDK authenticates with the account's keys and listens, then it is authorized and listening to trade_updates", async () => {
    const s = own(sdkStreamFor(fake));
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
    const s = own(sdkStreamFor(fake, { credentials: { keyId: fake.keyId, secret: 'wrong' } }));
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
    const s = own(sdkStreamFor(fake));
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
