import type Database from 'better-sqlite3';
import type { StatusQueue } from '../../ports';
import { orUndef, type Row } from './rows';

/** The journal's `StatusQueue` part: the outbox of statuses the sheet has still to show. */
export function statusQueueTable(db: Database.Database): StatusQueue {
  return {
    enqueueStatus(s) {
      db.prepare('INSERT INTO outbox (symbol, timeframe, status, reason, updated_at) VALUES (?, ?, ?, ?, ?)').run(
        s.symbol,
        s.timeframe,
        s.status,
        s.reason ?? null,
        s.updatedAt,
      );
    },

    pendingStatuses(limit) {
      return (db.prepare('SELECT * FROM outbox ORDER BY id LIMIT ?').all(limit) as Row[]).map((r) => ({
        id: r.id as number,
        symbol: r.symbol as string,
        timeframe: r.timeframe as string,
        status: r.status as string,
        reason: orUndef(r.reason as string | null),
        updatedAt: r.updated_at as string,
      }));
    },

    completeStatuses(ids) {
      const del = db.prepare('DELETE FROM outbox WHERE id = ?');
      db.transaction(() => ids.forEach((id) => del.run(id)))();
    },
  };
}
