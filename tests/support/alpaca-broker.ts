/** The real AlpacaBroker pointed at a fake Alpaca, as the tests build it. */
import { AlpacaBroker, type AlpacaBrokerOptions } from '../../src/adapters/alpaca';
import type { FakeAlpaca } from '../fakes/fake-alpaca';

/** A broker for `fake`: paper, iex, no SDK retry or throttle, 2 s timeout, unless overridden. */
export function brokerFor(fake: FakeAlpaca, overrides: Partial<AlpacaBrokerOptions> = {}): AlpacaBroker {
  return new AlpacaBroker({
    keyId: fake.keyId, secretKey: fake.secretKey, paper: true, baseUrl: fake.url, dataUrl: fake.dataUrl,
    dataFeed: 'iex', retry: false, rateLimit: false, timeoutMs: 2000, ...overrides,
  });
}

/** Places a market order straight at `fake`, as a trader would by hand in Alpaca's dashboard (no bot client order id). */
export async function placeByHand(fake: FakeAlpaca, symbol: string, side: 'buy' | 'sell', qty: number): Promise<void> {
  const res = await fetch(`${fake.url}/v2/orders`, {
    method: 'POST',
    headers: { 'APCA-API-KEY-ID': fake.keyId, 'APCA-API-SECRET-KEY': fake.secretKey, 'content-type': 'application/json' },
    body: JSON.stringify({ symbol, side, qty: String(qty), type: 'market', time_in_force: 'day' }),
  });
  if (res.status !== 200) throw new Error(`order placed by hand refused: ${res.status} ${await res.text()}`);
}
