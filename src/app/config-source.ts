import { type ConfigTable, parseConfigTable } from '../domain/config-table';
import { describeError } from '../domain/errors';
import type { Clock, Logger, SheetStore } from '../ports';

/** The Config tab could not be read and no copy young enough was at hand; the signal must not trade. */
export class ConfigUnavailableError extends Error {
  override name = 'ConfigUnavailableError';
}

/** A parsed Config tab and when the read that produced it started. */
export interface ConfigSnapshot {
  table: ConfigTable;
  readStartedAt: number;
}

/**
 * Reads the Config tab for signals. A signal that arrived at time T is served
 * by a read that started at or after T, so a sheet edit always reaches the
 * next alert; signals of one burst share one in-flight read. When a read fails,
 * the last good copy serves only while it is younger than `maxAgeMs`.
 */
export class ConfigSource {
  private inFlight?: { startedAt: number; promise: Promise<ConfigSnapshot> };
  private lastGood?: ConfigSnapshot;
  readCount = 0;

  constructor(
    private readonly sheet: SheetStore,
    private readonly tab: string,
    private readonly maxAgeMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The Config as of `arrivedAt` or later; ConfigUnavailableError when neither a read nor a young copy can serve. */
  async readFor(arrivedAt: number): Promise<ConfigSnapshot> {
    const flight = this.inFlight && this.inFlight.startedAt >= arrivedAt ? this.inFlight : this.startRead();
    try {
      return await flight.promise;
    } catch (err) {
      const copy = this.lastGood;
      const age = copy ? this.clock.now().getTime() - copy.readStartedAt : Infinity;
      if (copy && age <= this.maxAgeMs) {
        this.logger.warn('config.read_failed_using_copy', { error: describeError(err), copy_age_s: Math.round(age / 1000) });
        return copy;
      }
      throw new ConfigUnavailableError(`config unavailable: ${describeError(err)}`);
    }
  }

  /** The newest good copy if it is at most `maxAgeMs` old (for locating rows when flushing statuses). */
  recent(maxAgeMs: number): ConfigSnapshot | undefined {
    const copy = this.lastGood;
    return copy && this.clock.now().getTime() - copy.readStartedAt <= maxAgeMs ? copy : undefined;
  }

  private startRead(): { startedAt: number; promise: Promise<ConfigSnapshot> } {
    const startedAt = this.clock.now().getTime();
    this.readCount++;
    const promise = this.sheet.readTab(this.tab).then((cells) => {
      const snapshot = { table: parseConfigTable(cells), readStartedAt: startedAt };
      for (const s of snapshot.table.skipped) this.logger.warn('config.row_skipped', { row: s.sheetRow, reason: s.reason });
      if (!this.lastGood || this.lastGood.readStartedAt <= startedAt) this.lastGood = snapshot;
      return snapshot;
    });
    const flight = { startedAt, promise };
    this.inFlight = flight;
    const clear = () => {
      if (this.inFlight === flight) this.inFlight = undefined;
    };
    promise.then(clear, clear);
    return flight;
  }
}
