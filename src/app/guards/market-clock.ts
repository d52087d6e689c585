import type { MarketClock } from '../../domain/types';
import type { Broker, Clock } from '../../ports';
import { withRetry } from '../../shared/retry';

/** How long a clock reading is trusted; never past the next open or close it announced. */
const MAX_AGE_MS = 10_000;
/** Margin before an announced open or close, for clock drift between us and the broker. */
const EDGE_MS = 5_000;

/**
 * The broker's market clock, read at most every few seconds: the 18 alerts
 * of a bar close share one request instead of spending 18 of Alpaca's 200 a
 * minute. A reading is dropped early when the open or close it announced is near.
 */
export class MarketClockCache {
  private cached?: { at: number; validUntil: number; clock: MarketClock };
  private inFlight?: Promise<MarketClock>;

  constructor(
    private readonly broker: Broker,
    private readonly clock: Clock,
  ) {}

  /** The market clock, fresh enough to decide on. */
  async read(): Promise<MarketClock> {
    const now = this.clock.now().getTime();
    if (this.cached && now < this.cached.validUntil) return this.cached.clock;
    return this.fetch();
  }

  /**
   * Starts a read now unless the reading in hand will still be good in
   * `horizonMs`: called as a signal's Config read starts, so the market-hours
   * check after it finds a fresh reading instead of waiting for one. Never throws;
   * a failed read is the check's to report.
   */
  readAhead(horizonMs: number): void {
    const now = this.clock.now().getTime();
    if (this.inFlight || (this.cached && now + horizonMs < this.cached.validUntil)) return;
    this.fetch().catch(() => undefined);
  }

  private fetch(): Promise<MarketClock> {
    this.inFlight ??= withRetry(this.clock, () => this.broker.getClock()).then(
      (clock) => {
        this.inFlight = undefined;
        const edge = Date.parse(clock.isOpen ? clock.nextClose : clock.nextOpen) - EDGE_MS;
        const at = this.clock.now().getTime();
        this.cached = { at, clock, validUntil: Math.min(at + MAX_AGE_MS, Number.isFinite(edge) ? edge : at) };
        return clock;
      },
      (err) => {
        this.inFlight = undefined;
        throw err;
      },
    );
    return this.inFlight;
  }
}
