import { type ConfigTable, parseConfigTable } from '../../domain/trading/config-table';
import { describeError } from '../../domain/errors';
import type { Clock, Logger, SheetStore } from '../../ports';

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
  private current?: { startedAt: number; promise: Promise<ConfigSnapshot> };
  /** The read that starts when `current` ends; every signal waiting on it arrived before it starts. */
  private next?: Promise<ConfigSnapshot>;
  private lastGood?: ConfigSnapshot;
  private readonly listeners: ((table: ConfigTable) => void)[] = [];

  constructor(
    private readonly sheet: SheetStore,
    private readonly tab: string,
    private readonly maxAgeMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The Config as of `arrivedAt` or later; ConfigUnavailableError when neither a read nor a young copy can serve. */
  async readFor(arrivedAt: number): Promise<ConfigSnapshot> {
    try {
      return await this.readStartedAtOrAfter(arrivedAt);
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

  /** Calls `listener` with every Config tab read and parsed from now on (e.g. to report unusable rows). */
  onRead(listener: (table: ConfigTable) => void): void {
    this.listeners.push(listener);
  }

  /**
   * A read that started at or after `at`, never an older copy: its failure is
   * thrown as is. The status outbox locates rows with it, so a sorted tab
   * can't send a status into another row.
   */
  readFresh(at: number): Promise<ConfigSnapshot> {
    return this.readStartedAtOrAfter(at);
  }

  /** The newest good copy if it is at most `maxAgeMs` old (for answering /health cheaply). */
  recent(maxAgeMs: number): ConfigSnapshot | undefined {
    const copy = this.lastGood;
    return copy && this.clock.now().getTime() - copy.readStartedAt <= maxAgeMs ? copy : undefined;
  }

  /**
   * Joins the read in flight if it started at or after `arrivedAt`; else the
   * queued next read (started as soon as the current one ends); else starts
   * one now. So a burst costs about two reads, and none serves stale data.
   */
  private readStartedAtOrAfter(arrivedAt: number): Promise<ConfigSnapshot> {
    if (this.current && this.current.startedAt >= arrivedAt) return this.current.promise;
    if (!this.current) return this.start().promise;
    if (!this.next) {
      const settled = this.current.promise.then(
        () => undefined,
        () => undefined,
      );
      this.next = settled.then(() => {
        this.next = undefined;
        return this.start().promise;
      });
    }
    return this.next;
  }

  private start(): { startedAt: number; promise: Promise<ConfigSnapshot> } {
    const startedAt = this.clock.now().getTime();
    // Unformatted, so position_size is a number whatever the sheet's locale.
    const promise = this.sheet.readValues(this.tab).then((cells) => {
      const snapshot = { table: parseConfigTable(cells), readStartedAt: startedAt };
      for (const listener of this.listeners) {
        try {
          listener(snapshot.table);
        } catch (err) {
          this.logger.error('config.listener_failed', { error: describeError(err) });
        }
      }
      if (!this.lastGood || this.lastGood.readStartedAt <= startedAt) this.lastGood = snapshot;
      return snapshot;
    });
    const read = { startedAt, promise };
    this.current = read;
    const clear = () => {
      if (this.current === read) this.current = undefined;
    };
    promise.then(clear, clear);
    return read;
  }
}
