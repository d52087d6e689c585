/**
 * The real AlpacaBroker pointed at a fake Alpaca as the tests build it, the settings that point the
 * server at it, and requests sent to it by hand.
 */
import { AlpacaBroker, type AlpacaBrokerOptions } from '../../src/adapters/alpaca';
import type { FakeAlpaca } from '../fakes/fake-alpaca';

/** Where a broker finds a fake Alpaca (in this process or another): its origins and keys. */
export type FakeAlpacaAddress = Pick<FakeAlpaca, 'url' | 'dataUrl' | 'keyId' | 'secretKey'>;

/** A broker for `fake`: paper, iex, no SDK retry or throttle, 2 s timeout, unless overridden. */
export function brokerFor(fake: FakeAlpacaAddress, overrides: Partial<AlpacaBrokerOptions> = {}): AlpacaBroker {
  return new AlpacaBroker({
    keyId: fake.keyId,
    secretKey: fake.secretKey,
    paper: true,
    baseUrl: fake.url,
    dataUrl: fake.dataUrl,
    dataFeed: 'iex',
    retry: false,
    rateLimit: false,
    timeoutMs: 2000,
    ...overrides,
  });
}

/** The settings that point the server (or a CLI) at `fake`, as a user would write them: its keys, trading and data origins. */
export function alpacaEnv(fake: FakeAlpaca): Record<string, string> {
  return { APCA_API_KEY_ID: fake.keyId, APCA_API_SECRET_KEY: fake.secretKey, APCA_API_BASE_URL: fake.url, APCA_API_DATA_URL: fake.dataUrl };
}

/** Where a request to the fake goes and with which keys: by default its trading origin and its own keys. */
export interface WireTarget {
  base?: string;
  keys?: { id: string; secret: string };
}

/** One request to `fake` at the wire (JSON in, JSON out), as any HTTP client would send it; the answer's status and parsed body. */
export async function callAlpaca(
  fake: FakeAlpaca,
  method: string,
  path: string,
  body?: unknown,
  to: WireTarget = {},
): Promise<{ status: number; body: any }> {
  const keys = to.keys ?? { id: fake.keyId, secret: fake.secretKey };
  const res = await fetch((to.base ?? fake.url) + path, {
    method,
    headers: { 'APCA-API-KEY-ID': keys.id, 'APCA-API-SECRET-KEY': keys.secret, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Places a market order straight at `fake`, as a trader would by hand in Alpaca's dashboard (no bot client order id). */
export async function placeByHand(fake: FakeAlpaca, symbol: string, side: 'buy' | 'sell', qty: number): Promise<void> {
  const res = await callAlpaca(fake, 'POST', '/v2/orders', { symbol, side, qty: String(qty), type: 'market', time_in_force: 'day' });
  if (res.status !== 200) throw new Error(`order placed by hand refused: ${res.status} ${JSON.stringify(res.body)}`);
}
