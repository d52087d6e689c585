import { DateTime } from 'luxon';
import type { Asset } from '../../domain/types';
import type { Broker, Clock } from '../../ports';
import { withRetry } from '../../shared/retry';

/** Reads ahead at most this many assets at once, leaving Alpaca's 200 requests a minute to the signals. */
const WARM_CONCURRENCY = 3;

/**
 * An asset's facts (tradable, fractionable, shortable), read from the broker
 * once per New York trading day instead of on every signal: they change
 * rarely, and a refusal that says one changed makes `forget` drop it, so the
 * next signal reads it again. Concurrent signals for a symbol share one read.
 */
export class AssetFacts {
  private readonly cache = new Map<string, { day: string; asset: Promise<Asset> }>();
  /** Symbols whose read ahead failed, by day: warming asks for them once a day, a signal still asks on its own. */
  private readonly failedAhead = new Map<string, string>();
  private readonly warmQueue: string[] = [];
  private warming = 0;

  constructor(
    private readonly broker: Broker,
    private readonly clock: Clock,
  ) {}

  /** The symbol's facts as of today, from the cache when read earlier today. */
  get(symbol: string): Promise<Asset> {
    const day = this.today();
    const cached = this.cache.get(symbol);
    if (cached?.day === day) return cached.asset;
    const asset = withRetry(this.clock, () => this.broker.getAsset(symbol));
    const entry = { day, asset };
    this.cache.set(symbol, entry);
    // A failed read is not remembered: the next signal asks again.
    asset.catch(() => this.cache.get(symbol) === entry && this.cache.delete(symbol));
    return asset;
  }

  /**
   * Reads ahead, in the background and a few at a time, the facts of each
   * symbol not yet read today, so a symbol's first signal of the day finds
   * them ready. Cheap for symbols already known; never throws.
   */
  warm(symbols: Iterable<string>): void {
    const day = this.today();
    for (const symbol of new Set(symbols)) {
      if (this.cache.get(symbol)?.day === day || this.failedAhead.get(symbol) === day || this.warmQueue.includes(symbol)) continue;
      this.warmQueue.push(symbol);
    }
    this.drainWarmQueue();
  }

  /** Drops what is known of `symbol` (the broker said its facts changed). */
  forget(symbol: string): void {
    this.cache.delete(symbol);
    this.failedAhead.delete(symbol);
  }

  private drainWarmQueue(): void {
    while (this.warming < WARM_CONCURRENCY && this.warmQueue.length) {
      const symbol = this.warmQueue.shift()!;
      const day = this.today();
      if (this.cache.get(symbol)?.day === day) continue;
      this.warming++;
      this.get(symbol)
        .catch(() => this.failedAhead.set(symbol, day))
        .finally(() => {
          this.warming--;
          this.drainWarmQueue();
        });
    }
  }

  private today(): string {
    return DateTime.fromJSDate(this.clock.now()).setZone('America/New_York').toISODate()!;
  }
}
