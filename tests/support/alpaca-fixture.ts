/**
 * One fake Alpaca for a test file, and the real AlpacaBroker pointed at it.
 *
 *   const { fake, broker } = alpacaFixture();
 *
 * registers the hooks: the fake starts in beforeAll, is reset (new book, no
 * requests, no faults; same URLs and keys) before each test, and closes in
 * afterAll. `fake` and `broker` may be named at the top of the file: they
 * stand for the running fake and its broker once beforeAll has run, and
 * throw if used before.
 */
import type { AlpacaBroker } from '../../src/adapters/alpaca';
import { type FakeAlpaca, type FakeAlpacaOptions, startFakeAlpaca } from '../fakes/fake-alpaca';
import { brokerFor } from './alpaca-broker';

/** The running fake and the broker built by `brokerFor` (paper, iex, no SDK retry or throttle, 2 s timeout). */
export interface AlpacaFixture {
  readonly fake: FakeAlpaca;
  readonly broker: AlpacaBroker;
}

/** Starts a fake with `options` for the file's tests; see the module comment. */
export function alpacaFixture(options: FakeAlpacaOptions = {}): AlpacaFixture {
  let fake: FakeAlpaca | undefined;
  let broker: AlpacaBroker | undefined;
  beforeAll(async () => {
    fake = await startFakeAlpaca(options);
    broker = brokerFor(fake);
  });
  beforeEach(() => fake?.reset());
  afterAll(() => fake?.close());
  return { fake: standIn(() => fake, 'fake Alpaca'), broker: standIn(() => broker, 'Alpaca broker') };
}

/** An object that forwards every property read to what `current()` returns, methods bound to it. */
function standIn<T extends object>(current: () => T | undefined, what: string): T {
  const target = (): T => {
    const value = current();
    if (!value) throw new Error(`the ${what} is used before alpacaFixture's beforeAll has started it`);
    return value;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const value = target();
      const found: unknown = Reflect.get(value, key, value);
      return typeof found === 'function' ? found.bind(value) : found;
    },
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
