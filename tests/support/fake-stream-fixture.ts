/**
 * One fake Alpaca (no rate limit) for a test file of its trade_updates
 * stream, and the ways to reach it:
 *
 *   const { fake, updates, listen, eventsOf, rawClient, own, call, market } = fakeStreamFixture();
 *
 * registers the hooks of alpacaFixture, then empties `updates` before each
 * test and, after it, disconnects the test's SDK stream and waits until the
 * fake has no stream client left.
 */
import type { streaming } from '@alpacahq/alpaca-trade-api';
import type { FakeAlpaca } from '../fakes/fake-alpaca';
import { connectClient, type ClientSocket } from '../fakes/fake-alpaca/ws-package';
import { callAlpaca } from './alpaca-broker';
import { alpacaFixture } from './alpaca-fixture';
import { eventually, sdkStreamFor, streamUrl } from './trade-stream';

/** A plain WebSocket client and each frame it received, with whether it was binary. */
export interface RawClient {
  socket: ClientSocket;
  frames: { json: Record<string, unknown>; binary: boolean }[];
}

/** The running fake, what its stream delivered in this test, and the helpers to drive it. */
export interface FakeStreamFixture {
  readonly fake: FakeAlpaca;
  /** Every update the SDK stream started by `listen` received in this test, in order. */
  readonly updates: streaming.TradeUpdate[];
  /** Makes `s` the test's stream, disconnected after the test; returns it. */
  own(s: streaming.TradingStream): streaming.TradingStream;
  /** Starts the SDK's stream, collecting every update, and waits until the fake counts it as listening. */
  listen(overrides?: Partial<streaming.TradingStreamOptions>): Promise<streaming.TradingStream>;
  /** The events received for one client order id, in order. */
  eventsOf(clientOrderId: string): string[];
  /** A plain WebSocket client that records each frame and whether it was binary. */
  rawClient(): Promise<RawClient>;
  /** One REST request to the fake with its keys. */
  call: (method: string, path: string, body?: unknown) => ReturnType<typeof callAlpaca>;
  /** A day market order placed over REST. */
  market: (o: Record<string, unknown>) => ReturnType<typeof callAlpaca>;
}

/** Starts the fake for the file's tests; see the module comment. */
export function fakeStreamFixture(): FakeStreamFixture {
  const { fake } = alpacaFixture({ rateLimitPerMinute: false });
  let stream: streaming.TradingStream | undefined;
  const updates: streaming.TradeUpdate[] = [];

  const own = (s: streaming.TradingStream) => (stream = s);
  const call = (method: string, path: string, body?: unknown) => callAlpaca(fake, method, path, body);
  const market = (o: Record<string, unknown>) => call('POST', '/v2/orders', { type: 'market', time_in_force: 'day', ...o });

  async function listen(overrides: Partial<streaming.TradingStreamOptions> = {}): Promise<streaming.TradingStream> {
    const s = own(sdkStreamFor(fake, overrides));
    s.onTradeUpdate((u) => updates.push(u));
    // Asked before connecting, the SDK sends one listen after each authentication (asked in onConnect, it sends two).
    s.subscribeTradeUpdates();
    s.connect();
    await eventually(() => fake.streamClients() === 1, 'the SDK to listen');
    return s;
  }

  const eventsOf = (clientOrderId: string) => updates.filter((u) => u.order.clientOrderId === clientOrderId).map((u) => u.event);

  async function rawClient(): Promise<RawClient> {
    const socket = connectClient(streamUrl(fake));
    const frames: RawClient['frames'] = [];
    socket.on('message', (data, binary) => frames.push({ json: JSON.parse(data.toString('utf8')), binary }));
    await new Promise<void>((resolve, reject) => socket.on('open', resolve).on('error', reject));
    return { socket, frames };
  }

  beforeEach(() => {
    updates.length = 0;
  });
  afterEach(async () => {
    stream?.disconnect();
    stream = undefined;
    await eventually(() => fake.streamClients() === 0, 'the stream to close');
  });

  return { fake, updates, own, listen, eventsOf, rawClient, call, market };
}
