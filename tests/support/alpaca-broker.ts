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
