import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { SignalJournal, SignalRecord } from '../../ports';
import { orUndef, type Row } from './rows';

/** A signal row as the port's record. */
export function toSignal(r: Row): SignalRecord {
  return {
    id: r.id as string,
    receivedAt: r.received_at as number,
    signal: JSON.parse(r.signal as string),
    raw: r.raw as string,
    state: r.state as SignalRecord['state'],
    decision: orUndef(r.decision as string | null),
    status: orUndef(r.status as string | null),
    reason: orUndef(r.reason as string | null),
    waitsFor: orUndef((r.waits_for as string | null | undefined) ?? null),
  };
}

/** A short, sortable, unique signal id; client order ids are built from it, so they stay well under a broker's longest (Alpaca's 128). */
function newSignalId(now: number): string {
  return `${now.toString(36)}${randomBytes(5).toString('hex')}`;
}

/** The journal's `SignalJournal` part: the `signals` table. */
export function signalTable(db: Database.Database): SignalJournal {
  return {
    recordSignal(input) {
      return db.transaction(() => {
        const since = input.identity.kind === 'stable' ? -Infinity : input.receivedAt - input.windowMs;
        const prior = db
          .prepare('SELECT id FROM signals WHERE identity = ? AND received_at >= ? ORDER BY received_at DESC LIMIT 1')
          .get(input.identity.key, Number.isFinite(since) ? since : -1) as Row | undefined;
        if (prior) return { signalId: prior.id as string, duplicate: true };
        const signalId = newSignalId(input.receivedAt);
        db.prepare('INSERT INTO signals (id, identity, identity_kind, received_at, raw, signal) VALUES (?, ?, ?, ?, ?, ?)').run(
          signalId,
          input.identity.key,
          input.identity.kind,
          input.receivedAt,
          input.raw,
          JSON.stringify(input.signal),
        );
        return { signalId, duplicate: false };
      })();
    },

    getSignal(signalId) {
      const r = db.prepare('SELECT * FROM signals WHERE id = ?').get(signalId) as Row | undefined;
      return r && toSignal(r);
    },

    decide(signalId, decision, status, reason) {
      db.prepare("UPDATE signals SET state = 'done', decision = ?, status = ?, reason = ? WHERE id = ?").run(
        decision,
        status ?? null,
        reason ?? null,
        signalId,
      );
    },

    workingSignals() {
      return (db.prepare("SELECT * FROM signals WHERE state = 'working' ORDER BY received_at").all() as Row[]).map(toSignal);
    },

    deferSignal(signalId, clientOrderId) {
      db.prepare('UPDATE signals SET waits_for = ? WHERE id = ?').run(clientOrderId ?? null, signalId);
    },

    releaseSignalsBehind(clientOrderId) {
      return db.transaction(() => {
        const rows = (db.prepare('SELECT * FROM signals WHERE waits_for = ? ORDER BY received_at, rowid').all(clientOrderId) as Row[]).map(
          toSignal,
        );
        db.prepare('UPDATE signals SET waits_for = NULL WHERE waits_for = ?').run(clientOrderId);
        return rows;
      })();
    },

    rowsBelievedOpen() {
      const rows = db
        .prepare(
          `WITH latest AS (
             SELECT id, state, status, json_extract(signal, '$.symbol') AS symbol, json_extract(signal, '$.timeframe') AS timeframe,
                    ROW_NUMBER() OVER (PARTITION BY json_extract(signal, '$.symbol'), json_extract(signal, '$.timeframe')
                                       ORDER BY received_at DESC, rowid DESC) AS n
             FROM signals WHERE state = 'working' OR status IN ('FILLED', 'ALREADY LONG', 'ALREADY SHORT', 'WAITING'))
           SELECT latest.id, symbol, timeframe, latest.status FROM latest JOIN signals s ON s.id = latest.id
           WHERE n = 1 AND latest.state = 'done' AND latest.status IN ('FILLED', 'ALREADY LONG', 'ALREADY SHORT') AND s.retold_at IS NULL`,
        )
        .all() as Row[];
      return rows.map((r) => ({
        signalId: r.id as string,
        symbol: r.symbol as string,
        timeframe: r.timeframe as string,
        status: r.status as string,
      }));
    },

    recentSignals(query) {
      const rows = db
        .prepare(
          `SELECT * FROM signals WHERE received_at >= ? AND (? IS NULL OR json_extract(signal, '$.symbol') = ?)
           ORDER BY received_at DESC, rowid DESC LIMIT ?`,
        )
        .all(query.sinceMs ?? -1, query.symbol ?? null, query.symbol ?? null, query.limit) as Row[];
      return rows.map(toSignal);
    },
  };
}
