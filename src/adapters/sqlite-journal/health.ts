import type Database from 'better-sqlite3';
import { describeError } from '../../domain/errors';
import type { HealthProbe } from '../../ports';

/** A passed quick check is trusted this long; a failed one is checked again on the next call. */
const QUICK_CHECK_EVERY_MS = 60_000;

/**
 * The journal's vital signs, read straight from the SQLite file: can it be
 * written, does it pass SQLite's quick integrity check, how many statuses wait
 * in the outbox, and when the last signal came.
 */
export class DatabaseHealth implements HealthProbe {
  private okUntil = -Infinity;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {}

  problem(): string | undefined {
    const now = this.now();
    try {
      // A real write, as every alert makes one: it fails when the disk is full or the file is read-only.
      this.db
        .prepare("INSERT INTO state (key, value) VALUES ('health.probe', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .run(String(now));
    } catch (err) {
      return `the journal cannot be written: ${describeError(err)}`;
    }
    if (now < this.okUntil) return undefined;
    try {
      const rows = this.db.pragma('quick_check(1)') as { quick_check: string }[];
      const verdict = rows[0]?.quick_check ?? 'no answer';
      if (verdict !== 'ok') return `the database failed its quick check: ${verdict}`;
    } catch (err) {
      return `the database failed its quick check: ${describeError(err)}`;
    }
    this.okUntil = now + QUICK_CHECK_EVERY_MS;
    return undefined;
  }

  outboxBacklog(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  }

  lastSignalAt(): number | undefined {
    const row = this.db.prepare('SELECT MAX(received_at) AS t FROM signals').get() as { t: number | null };
    return row.t ?? undefined;
  }
}
