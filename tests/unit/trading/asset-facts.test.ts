/** Asset facts read once a New York day, and read ahead for the Config's symbols. */
import { AssetFacts } from '../../../src/app/positions/asset-facts';
import { NotFoundError } from '../../../src/domain/errors';
import type { Asset } from '../../../src/domain/types';
import type { Broker } from '../../../src/ports';

const T0 = Date.parse('2025-10-06T15:00:00Z');
function manualClock(start = T0) {
  let now = start;
  return { now: () => new Date(now), sleep: async () => undefined, advance: (ms: number) => (now += ms) };
}

/** A broker answering `getAsset` only, each read held until the test releases it. */
function heldAssets(unknown: string[] = []) {
  const asked: string[] = [];
  const waiting: (() => void)[] = [];
  const broker = {
    getAsset: (symbol: string) => {
      asked.push(symbol);
      return new Promise<Asset>((resolve, reject) =>
        waiting.push(() =>
          unknown.includes(symbol)
            ? reject(new NotFoundError(`asset ${symbol} not found`))
            : resolve({ symbol, tradable: true, fractionable: true, shortable: true } as Asset),
        ),
      );
    },
  } as unknown as Broker;
  const releaseAll = async () => {
    while (waiting.length) {
      waiting.splice(0).forEach((release) => release());
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    }
  };
  return { broker, asked, waiting, releaseAll };
}

describe('asset facts read ahead', () => {
  it('when warmed with many symbols, then at most three are read at once, each once, and a signal then finds them ready', async () => {
    const b = heldAssets();
    const facts = new AssetFacts(b.broker, manualClock());
    facts.warm(['AAPL', 'MSFT', 'NVDA', 'AMZN', 'AAPL', 'TSLA']);
    expect(b.asked).toEqual(['AAPL', 'MSFT', 'NVDA']);
    facts.warm(['AAPL', 'MSFT']); // already on their way
    await b.releaseAll();
    expect(b.asked).toEqual(['AAPL', 'MSFT', 'NVDA', 'AMZN', 'TSLA']);
    await expect(facts.get('NVDA')).resolves.toMatchObject({ symbol: 'NVDA' });
    expect(b.asked).toHaveLength(5);
  });

  it(
    'when a read ahead fails, then warming does not ask again that ' + 'day, a signal still does, and the next day warming asks again',
    async () => {
      const clock = manualClock();
      const b = heldAssets(['ZZZZ']);
      const facts = new AssetFacts(b.broker, clock);
      facts.warm(['ZZZZ']);
      await b.releaseAll();
      facts.warm(['ZZZZ']);
      expect(b.asked).toEqual(['ZZZZ']);
      const signal = facts.get('ZZZZ');
      await b.releaseAll();
      await expect(signal).rejects.toThrow('not found');
      expect(b.asked).toEqual(['ZZZZ', 'ZZZZ']);
      clock.advance(24 * 3_600_000);
      facts.warm(['ZZZZ']);
      expect(b.asked).toEqual(['ZZZZ', 'ZZZZ', 'ZZZZ']);
      await b.releaseAll();
    },
  );

  it('when a new New York day begins, then warming reads every symbol again', async () => {
    const clock = manualClock();
    const b = heldAssets();
    const facts = new AssetFacts(b.broker, clock);
    facts.warm(['AAPL']);
    await b.releaseAll();
    facts.warm(['AAPL']);
    expect(b.asked).toEqual(['AAPL']);
    clock.advance(24 * 3_600_000);
    facts.warm(['AAPL']);
    expect(b.asked).toEqual(['AAPL', 'AAPL']);
    await b.releaseAll();
  });
});
