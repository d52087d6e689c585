import { DateTime } from 'luxon';
import type { Asset } from '../domain/types';
import type { Broker, Clock } from '../ports';
import { withRetry } from './retry';

/**
 * An asset's facts (tradable, fractionable, shortable), read from the broker
 * once per New York trading day instead of on every signal: they change
 * rarely, and a refusal that says one changed makes `forget` drop it, so the
 * next signal reads it again. Concurrent signals for a symbol share one read.
 */
export class AssetFacts {
  private readonly cache = new Map<string, { day: string; asset: Promise<Asset> }>();

  constructor(private readonly broker: Broker, private readonly clock: Clock) {}

  /** The symbol's facts as of today, from the cache when read earlier today. */
  get(symbol: string): Promise<Asset> {
    const day = DateTime.fromJSDate(this.clock.now()).setZone('America/New_York').toISODate()!;
    const cached = this.cache.get(symbol);
    if (cached?.day === day) return cached.asset;
    const asset = withRetry(this.clock, () => this.broker.getAsset(symbol));
    const entry = { day, asset };
    this.cache.set(symbol, entry);
    // A failed read is not remembered: the next signal asks again.
    asset.catch(() => this.cache.get(symbol) === entry && this.cache.delete(symbol));
    return asset;
  }

  /** Drops what is known of `symbol` (the broker said its facts changed). */
  forget(symbol: string): void {
    this.cache.delete(symbol);
  }
}
