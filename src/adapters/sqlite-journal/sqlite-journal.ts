import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { Order } from '../../domain/types';
import type { OrderMeaning, OrderRole } from '../../domain/trading/order-meaning';
import type { Journal, OrderRecord, PendingStatus, PositionProtection, RowBookChange, RowBookEntry, SignalRecord } from '../../ports';
import { migrate } from './migrations';
import { RowBooksTable } from './row-books-table';

type Row = Record<string, unknown>;
const orUndef = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const FINAL = new Set(['filled', 'failed']);

function toSignal(r: Row): SignalRecord {
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

function toOrder(r: Row): OrderRecord {
  return {
    clientOrderId: r.client_order_id as string,
    signalId: r.signal_id as string,
    leg: r.leg as OrderRecord['leg'],
    symbol: r.symbol as string,
    side: r.side as OrderRecord['side'],
    qty: orUndef(r.qty as number | null),
    notional: orUndef(r.notional as number | null),
    state: r.state as OrderRecord['state'],
    brokerId: orUndef(r.broker_id as string | null),
    brokerStatus: orUndef(r.broker_status as string | null),
    filledQty: orUndef(r.filled_qty as number | null),
    filledAvgPrice: orUndef(r.filled_avg_price as number | null),
    reason: orUndef(r.reason as string | null),
    book: orUndef(r.book as string | null),
    role: (r.role as OrderRole | null) ?? 'exit',
    meaning: r.meaning ? (JSON.parse(r.meaning as string) as OrderMeaning) : { role: (r.role as OrderRole | null) ?? 'exit' },
    parent: orUndef(r.parent as string | null),
    settledAt: orUndef(r.settled_at as number | null),
    supersededBy: orUndef(r.superseded_by as string | null),
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  };
}

/** A short, sortable, unique signal id; client order ids are built from it, so they stay well under a broker's longest (Alpaca's 128). */
function newSignalId(now: number): string {
  return `${now.toString(36)}${randomBytes(5).toString('hex')}`;
}

/** The Journal on SQLite. Every call is one synchronous transaction, so a crash leaves no half-written record. */
export class SqliteJournal implements Journal {
  private readonly books: RowBooksTable;
  private readonly fillListeners: ((symbol: string) => void)[] = [];

  constructor(private readonly db: Database.Database, private readonly now: () => number = Date.now) {
    migrate(db);
    this.books = new RowBooksTable(db);
  }

  atomically<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  recordSignal(input: Parameters<Journal['recordSignal']>[0]): { signalId: string; duplicate: boolean } {
    return this.db.transaction(() => {
      const since = input.identity.kind === 'stable' ? -Infinity : input.receivedAt - input.windowMs;
      const prior = this.db
        .prepare('SELECT id FROM signals WHERE identity = ? AND received_at >= ? ORDER BY received_at DESC LIMIT 1')
        .get(input.identity.key, Number.isFinite(since) ? since : -1) as Row | undefined;
      if (prior) return { signalId: prior.id as string, duplicate: true };
      const signalId = newSignalId(input.receivedAt);
      this.db
        .prepare('INSERT INTO signals (id, identity, identity_kind, received_at, raw, signal) VALUES (?, ?, ?, ?, ?, ?)')
        .run(signalId, input.identity.key, input.identity.kind, input.receivedAt, input.raw, JSON.stringify(input.signal));
      return { signalId, duplicate: false };
    })();
  }

  getSignal(signalId: string): SignalRecord | undefined {
    const r = this.db.prepare('SELECT * FROM signals WHERE id = ?').get(signalId) as Row | undefined;
    return r && toSignal(r);
  }

  decide(signalId: string, decision: string, status?: string, reason?: string): void {
    this.db
      .prepare("UPDATE signals SET state = 'done', decision = ?, status = ?, reason = ? WHERE id = ?")
      .run(decision, status ?? null, reason ?? null, signalId);
  }

  workingSignals(): SignalRecord[] {
    return (this.db.prepare("SELECT * FROM signals WHERE state = 'working' ORDER BY received_at").all() as Row[]).map(toSignal);
  }

  recordOrder(o: Parameters<Journal['recordOrder']>[0]): void {
    const now = this.now();
    this.db
      .prepare(
        `INSERT OR IGNORE INTO orders (client_order_id, signal_id, leg, symbol, side, qty, notional, book, role, meaning, parent, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(o.clientOrderId, o.signalId, o.leg, o.symbol, o.side, o.qty ?? null, o.notional ?? null, o.book ?? null,
        o.meaning.role, JSON.stringify(o.meaning), o.parent ?? null, now, now);
  }

  onOrderFilled(listener: (symbol: string) => void): void {
    this.fillListeners.push(listener);
  }

  updateOrder(clientOrderId: string, order: Order): OrderRecord | undefined {
    const stored = this.db.transaction(() => {
      const before = this.getOrder(clientOrderId);
      if (!before) return undefined;
      // A late or repeated event never takes an order back from its end, nor its fills backwards.
      if (FINAL.has(before.state) && order.state === 'open') return { before, after: before };
      if (before.state === 'filled' && order.state !== 'filled') return { before, after: before };
      const filled = Math.max(order.filledQty, before.filledQty ?? 0);
      this.db
        .prepare(
          `UPDATE orders SET state = ?, broker_id = ?, broker_status = ?, filled_qty = ?, filled_avg_price = COALESCE(?, filled_avg_price),
           reason = COALESCE(?, reason), updated_at = ? WHERE client_order_id = ?`,
        )
        .run(order.state, order.id || before.brokerId || null, order.status, filled, order.filledAvgPrice ?? null, order.reason ?? null, this.now(), clientOrderId);
      this.books.applyFill(clientOrderId, this.now());
      return { before, after: this.getOrder(clientOrderId)! };
    })();
    if (!stored) return undefined;
    const { before, after } = stored;
    // An OCO pair fills through its stop leg while the parent ends cancelled: that too is a fill, once, as the parent ends.
    const legFilled = (order.legs ?? []).some((leg) => leg.filledQty > 0) && before.state !== after.state;
    // After the commit, so a listener reads the fill; a listener's failure is its own, never the journal's.
    if ((after.filledQty ?? 0) > (before.filledQty ?? 0) || legFilled) {
      for (const listener of this.fillListeners) {
        try {
          listener(after.symbol);
        } catch {
          // The listener logs its own failures.
        }
      }
    }
    return after;
  }

  deferSignal(signalId: string, clientOrderId: string | undefined): void {
    this.db.prepare('UPDATE signals SET waits_for = ? WHERE id = ?').run(clientOrderId ?? null, signalId);
  }

  releaseSignalsBehind(clientOrderId: string): SignalRecord[] {
    return this.db.transaction(() => {
      const rows = (this.db.prepare('SELECT * FROM signals WHERE waits_for = ? ORDER BY received_at, rowid').all(clientOrderId) as Row[]).map(toSignal);
      this.db.prepare('UPDATE signals SET waits_for = NULL WHERE waits_for = ?').run(clientOrderId);
      return rows;
    })();
  }

  markSettled(clientOrderId: string): void {
    this.db.prepare('UPDATE orders SET settled_at = ? WHERE client_order_id = ? AND settled_at IS NULL').run(this.now(), clientOrderId);
  }

  markSuperseded(clientOrderId: string, bySignalId: string): void {
    this.db.prepare('UPDATE orders SET superseded_by = ? WHERE client_order_id = ?').run(bySignalId, clientOrderId);
  }

  unsettledOrders(): OrderRecord[] {
    return (this.db.prepare("SELECT * FROM orders WHERE settled_at IS NULL AND state IN ('filled', 'failed') ORDER BY created_at, rowid").all() as Row[]).map(toOrder);
  }

  workingOrders(symbol: string): OrderRecord[] {
    return (this.db.prepare("SELECT * FROM orders WHERE symbol = ? AND state IN ('pending', 'open') ORDER BY created_at, rowid").all(symbol) as Row[]).map(toOrder);
  }

  failOrder(clientOrderId: string, reason: string): void {
    // The caller handles the refusal there and then: nothing is left for the reactor to apply.
    this.db
      .prepare("UPDATE orders SET state = 'failed', reason = ?, updated_at = ?, settled_at = COALESCE(settled_at, ?) WHERE client_order_id = ?")
      .run(reason, this.now(), this.now(), clientOrderId);
  }

  getOrder(clientOrderId: string): OrderRecord | undefined {
    const r = this.db.prepare('SELECT * FROM orders WHERE client_order_id = ?').get(clientOrderId) as Row | undefined;
    return r && toOrder(r);
  }

  ordersForSignal(signalId: string): OrderRecord[] {
    return (this.db.prepare('SELECT * FROM orders WHERE signal_id = ? ORDER BY created_at, rowid').all(signalId) as Row[]).map(toOrder);
  }

  unfinishedOrders(): OrderRecord[] {
    return (this.db.prepare("SELECT * FROM orders WHERE state IN ('pending', 'open') ORDER BY created_at, rowid").all() as Row[]).map(toOrder);
  }

  enqueueStatus(s: Omit<PendingStatus, 'id'>): void {
    this.db
      .prepare('INSERT INTO outbox (symbol, timeframe, status, reason, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.symbol, s.timeframe, s.status, s.reason ?? null, s.updatedAt);
  }

  pendingStatuses(limit: number): PendingStatus[] {
    return (this.db.prepare('SELECT * FROM outbox ORDER BY id LIMIT ?').all(limit) as Row[]).map((r) => ({
      id: r.id as number,
      symbol: r.symbol as string,
      timeframe: r.timeframe as string,
      status: r.status as string,
      reason: orUndef(r.reason as string | null),
      updatedAt: r.updated_at as string,
    }));
  }

  completeStatuses(ids: number[]): void {
    const del = this.db.prepare('DELETE FROM outbox WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => del.run(id)))();
  }

  rowsBelievedOpen(): ReturnType<Journal['rowsBelievedOpen']> {
    const rows = this.db
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
    return rows.map((r) => ({ signalId: r.id as string, symbol: r.symbol as string, timeframe: r.timeframe as string, status: r.status as string }));
  }

  recentSignals(query: { limit: number; symbol?: string; sinceMs?: number }): SignalRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM signals WHERE received_at >= ? AND (? IS NULL OR json_extract(signal, '$.symbol') = ?)
         ORDER BY received_at DESC, rowid DESC LIMIT ?`,
      )
      .all(query.sinceMs ?? -1, query.symbol ?? null, query.symbol ?? null, query.limit) as Row[];
    return rows.map(toSignal);
  }

  signalFills(sinceMs: number): ReturnType<Journal['signalFills']> {
    const rows = this.db
      .prepare(
        `SELECT o.symbol, o.side, o.filled_qty, o.filled_avg_price, s.signal, o.updated_at FROM orders o
         JOIN signals s ON s.id = o.signal_id
         WHERE o.state = 'filled' AND o.leg = 'open' AND o.filled_avg_price IS NOT NULL AND s.received_at >= ?`,
      )
      .all(sinceMs) as Row[];
    return rows.flatMap((r) => {
      const price = (JSON.parse(r.signal as string) as { price?: number }).price;
      if (!price) return [];
      return [{
        symbol: r.symbol as string,
        side: r.side as 'buy' | 'sell',
        signalPrice: price,
        fillPrice: r.filled_avg_price as number,
        qty: r.filled_qty as number,
        time: r.updated_at as number,
      }];
    });
  }

  rowBooks(symbol?: string): RowBookEntry[] {
    return this.books.books(symbol);
  }

  applyRowChange(change: Omit<RowBookChange, 'id'>): boolean {
    return this.books.apply(change);
  }

  rowChanges(sinceMs: number): RowBookChange[] {
    return this.books.changes(sinceMs);
  }

  clearRowBooks(): void {
    this.books.clear();
  }

  latestTradeRow(symbol: string): string | undefined {
    return this.books.latestTradeRow(symbol);
  }

  protectionOf(symbol: string): PositionProtection | undefined {
    const r = this.db.prepare('SELECT protection FROM symbol_state WHERE symbol = ?').get(symbol) as Row | undefined;
    return r?.protection ? (JSON.parse(r.protection as string) as PositionProtection) : undefined;
  }

  setProtection(symbol: string, protection: PositionProtection | undefined): void {
    this.db
      .prepare('INSERT INTO symbol_state (symbol, protection) VALUES (?, ?) ON CONFLICT(symbol) DO UPDATE SET protection = excluded.protection')
      .run(symbol, protection ? JSON.stringify(protection) : null);
  }

  protectedSymbols(): string[] {
    const rows = this.db
      .prepare(`SELECT symbol FROM symbol_state WHERE protection IS NOT NULL
                UNION SELECT symbol FROM orders WHERE role = 'protective' AND state IN ('pending', 'open') ORDER BY symbol`)
      .all() as Row[];
    return rows.map((r) => r.symbol as string);
  }

  markRetold(signalId: string, at: number): void {
    this.db.prepare('UPDATE signals SET retold_at = ? WHERE id = ? AND retold_at IS NULL').run(at, signalId);
  }

  unexplained(symbol: string): number | undefined {
    const r = this.db.prepare('SELECT unexplained FROM symbol_state WHERE symbol = ?').get(symbol) as Row | undefined;
    return orUndef((r?.unexplained as number | null | undefined) ?? null);
  }

  setUnexplained(symbol: string, qty: number): void {
    this.db
      .prepare('INSERT INTO symbol_state (symbol, unexplained) VALUES (?, ?) ON CONFLICT(symbol) DO UPDATE SET unexplained = excluded.unexplained')
      .run(symbol, qty);
  }

  get(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM state WHERE key = ?').get(key) as Row | undefined;
    return r?.value as string | undefined;
  }

  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
