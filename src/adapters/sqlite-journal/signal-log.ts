import type Database from 'better-sqlite3';
import type { SignalLogEntry, SignalLogStore } from '../../ports';
import { migrate } from './migrations';
import type { Row } from './rows';

function toEntry(r: Row): SignalLogEntry {
  return {
    seq: r.seq as number,
    signalId: r.signal_id as string,
    duplicate: r.duplicate === 1,
    receivedAt: r.received_at as number,
    answerStatus: (r.answer_status as string | null) ?? undefined,
    latencyMs: (r.latency_ms as number | null) ?? undefined,
    dirty: r.dirty as number,
  };
}

/** The Signals log on SQLite, in the journal's database. Each call is one transaction. */
export class SqliteSignalLog implements SignalLogStore {
  constructor(private readonly db: Database.Database) {
    migrate(db);
  }

  noteSignal(signalId: string, receivedAt: number, answer?: { status: string; latencyMs: number }): void {
    const status = answer?.status ?? null;
    const latency = answer ? Math.round(answer.latencyMs) : null;
    // Update first, insert only when new: an upsert would use up a seq on every update, and the tab's rows follow seq.
    this.db.transaction(() => {
      const updated = this.db
        .prepare(
          `UPDATE signal_log SET answer_status = COALESCE(?, answer_status), latency_ms = COALESCE(?, latency_ms), dirty = dirty + 1
           WHERE signal_id = ? AND duplicate = 0`,
        )
        .run(status, latency, signalId);
      if (updated.changes === 0) {
        this.db
          .prepare('INSERT INTO signal_log (signal_id, received_at, answer_status, latency_ms) VALUES (?, ?, ?, ?)')
          .run(signalId, receivedAt, status, latency);
      }
    })();
  }

  noteDuplicate(signalId: string, receivedAt: number, latencyMs?: number): void {
    this.db
      .prepare("INSERT INTO signal_log (signal_id, duplicate, received_at, answer_status, latency_ms) VALUES (?, 1, ?, 'duplicate', ?)")
      .run(signalId, receivedAt, latencyMs === undefined ? null : Math.round(latencyMs));
  }

  changedEntries(limit: number): SignalLogEntry[] {
    return (this.db.prepare('SELECT * FROM signal_log WHERE dirty > 0 ORDER BY seq LIMIT ?').all(limit) as Row[]).map(toEntry);
  }

  entriesBetween(from: number, to: number): SignalLogEntry[] {
    return (this.db.prepare('SELECT * FROM signal_log WHERE seq BETWEEN ? AND ? ORDER BY seq').all(from, to) as Row[]).map(toEntry);
  }

  lastSeq(): number {
    const r = this.db.prepare('SELECT MAX(seq) AS seq FROM signal_log').get() as Row;
    return (r.seq as number | null) ?? 0;
  }

  markWritten(entries: Pick<SignalLogEntry, 'seq' | 'dirty'>[]): void {
    const done = this.db.prepare('UPDATE signal_log SET dirty = 0 WHERE seq = ? AND dirty = ?');
    this.db.transaction(() => entries.forEach((e) => done.run(e.seq, e.dirty)))();
  }
}
