import { DateTime } from 'luxon';
import { describeError } from '../../domain/errors';
import type { Clock, Logger } from '../../ports';
import type { AssetFacts } from './asset-facts';
import type { ConfigSource } from '../sheet/config-source';

/** After New York midnight, so the new day's key is in force when the read starts. */
const AFTER_MIDNIGHT_MS = 5_000;

/**
 * The asset facts of every active Config row's symbol, read before any signal needs them:
 * a symbol's first signal of the day would otherwise wait for one more
 * Alpaca round trip after its Config read. Every Config read (a signal's, the
 * outbox's) hands its symbols to `AssetFacts.warm`, which reads only those
 * not yet known today; `start` reads the Config once now and again just after
 * each New York midnight, when the facts of the day before run out.
 */
export class AssetReadAhead {
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: { config: ConfigSource; assets: AssetFacts; clock: Clock; logger: Logger }) {
    // Active rows only: an inactive row trades nothing, and a sheet of old rows would spend Alpaca's 200 requests a minute.
    deps.config.onRead((table) => deps.assets.warm(table.rows.filter((row) => row.active).map((row) => row.symbol)));
  }

  /** Reads the Config now (its symbols' facts follow), and after each New York midnight. */
  start(): void {
    this.readConfig();
    this.scheduleNextDay();
  }

  /** Stops the daily read. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readConfig(): void {
    this.deps.config.readFresh(this.deps.clock.now().getTime()).catch((err) =>
      // The next Config read (a signal's or the outbox's) warms them instead.
      this.deps.logger.warn('assets.read_ahead_failed', { error: describeError(err) }),
    );
  }

  private scheduleNextDay(): void {
    const now = DateTime.fromJSDate(this.deps.clock.now()).setZone('America/New_York');
    const wait = now.plus({ days: 1 }).startOf('day').toMillis() - now.toMillis() + AFTER_MIDNIGHT_MS;
    this.timer = setTimeout(() => {
      this.readConfig();
      this.scheduleNextDay();
    }, wait);
    // unref: the schedule alone must not keep the process (or a test run) alive.
    this.timer.unref();
  }
}
