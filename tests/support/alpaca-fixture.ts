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
import { standIn } from './stand-in';

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
  const started = "used before alpacaFixture's beforeAll has started it";
  return { fake: standIn(() => fake, `the fake Alpaca is ${started}`), broker: standIn(() => broker, `the Alpaca broker is ${started}`) };
}
