import type { ConfigTable } from '../domain/config-table';
import { describeError } from '../domain/errors';
import type { Status } from '../domain/status';
import { formatStatusTime } from '../domain/status-time';
import type { CellWrite, Clock, Journal, Logger, PendingStatus, SheetStore } from '../ports';
import type { ConfigSource } from './config-source';

/** Tuning of the outbox; defaults suit Sheets' 60 writes a minute. */
export interface OutboxOptions {
  tab: string;
  timezone: string;
  /** Gathers a burst into one write. */
  debounceMs?: number;
  /** Floor between two write requests. */
  minWriteIntervalMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A Config copy this young is trusted to locate rows without a new read. */
  locateMaxAgeMs?: number;
  /** Per-row mode: the row's own signed shares, written into the optional `Position` column with its status. */
  positionOf?: (symbol: string, timeframe: string) => number;
}

type FlushResult = 'empty' | 'more' | 'failed';

/**
 * Status writes into the sheet go through here. Each status is first saved in
 * the journal, then written in batches (one `values:batchUpdate` per flush),
 * oldest first, the latest status winning per row. Any failure keeps the rows
 * and retries with exponential backoff and jitter: an outage delays statuses,
 * never loses them, and never blocks trading.
 */
export class StatusOutbox {
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<FlushResult>;
  private failures = 0;
  private lastWriteAt = 0;
  private stopped = false;
  private readonly o: Required<Omit<OutboxOptions, 'positionOf'>> & Pick<OutboxOptions, 'positionOf'>;

  constructor(
    private readonly journal: Journal,
    private readonly sheet: SheetStore,
    private readonly config: ConfigSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: OutboxOptions,
  ) {
    this.o = { debounceMs: 150, minWriteIntervalMs: 1100, baseBackoffMs: 1000, maxBackoffMs: 60_000, locateMaxAgeMs: 30_000, ...options };
  }

  /** Saves the status for the (symbol, timeframe) row durably and schedules a write. */
  post(symbol: string, timeframe: string, status: Status, reason?: string): void {
    const updatedAt = formatStatusTime(this.clock.now(), this.o.timezone);
    this.journal.enqueueStatus({ symbol, timeframe, status, reason, updatedAt });
    this.kick();
  }

  /** Schedules a flush soon, unless one is already due. */
  kick(delayMs = this.o.debounceMs): void {
    if (this.stopped || this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runOnce();
    }, delayMs);
  }

  /** Stops scheduling; queued statuses stay in the journal for the next start. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Flushes until the outbox is empty or `timeoutMs` passes; true when empty. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = this.clock.now().getTime() + timeoutMs;
    while (this.clock.now().getTime() < deadline) {
      const result = await (this.flushing ?? this.flushOnce());
      if (result === 'empty' && this.journal.pendingStatuses(1).length === 0) return true;
      if (result === 'failed') await this.clock.sleep(Math.min(500, Math.max(0, deadline - this.clock.now().getTime())));
    }
    return this.journal.pendingStatuses(1).length === 0;
  }

  private async runOnce(): Promise<void> {
    const result = await this.flushOnce();
    if (this.stopped) return;
    if (result === 'more') this.kick(this.o.minWriteIntervalMs);
    if (result === 'failed') {
      const ceiling = Math.min(this.o.maxBackoffMs, this.o.baseBackoffMs * 2 ** Math.min(this.failures - 1, 16));
      this.kick(Math.round(ceiling * (0.5 + Math.random() / 2)));
    }
  }

  private flushOnce(): Promise<FlushResult> {
    if (!this.flushing) {
      this.flushing = this.writeBatch().finally(() => {
        this.flushing = undefined;
      });
    }
    return this.flushing;
  }

  private async writeBatch(): Promise<FlushResult> {
    const pending = this.journal.pendingStatuses(500);
    if (pending.length === 0) return 'empty';
    const wait = this.lastWriteAt + this.o.minWriteIntervalMs - this.clock.now().getTime();
    if (wait > 0) await this.clock.sleep(wait);
    try {
      const snapshot = this.config.recent(this.o.locateMaxAgeMs) ?? (await this.config.readFor(this.clock.now().getTime()));
      const { writes, unplaceable } = this.cellsFor(pending, snapshot.table);
      for (const s of unplaceable) this.logger.warn('status.no_row', { symbol: s.symbol, timeframe: s.timeframe, status: s.status });
      if (writes.length > 0) {
        this.lastWriteAt = this.clock.now().getTime();
        await this.sheet.writeCells(writes);
      }
      this.journal.completeStatuses(pending.map((p) => p.id));
      this.failures = 0;
      this.logger.info('status.flushed', { statuses: pending.length, cells: writes.length });
      return this.journal.pendingStatuses(1).length > 0 ? 'more' : 'empty';
    } catch (err) {
      this.failures++;
      this.journal.retryStatuses(pending.map((p) => p.id));
      this.logger.warn('status.flush_failed', { error: describeError(err), queued: pending.length, attempt: this.failures });
      return 'failed';
    }
  }

  /** Cells for the latest status of each row; statuses whose row is gone are returned apart. */
  private cellsFor(pending: PendingStatus[], table: ConfigTable) {
    const latest = new Map<string, PendingStatus>();
    for (const p of pending) latest.set(`${p.symbol}|${p.timeframe}`, p);
    const writes: CellWrite[] = [];
    const unplaceable: PendingStatus[] = [];
    const { orderStatus, lastUpdated, reason, position } = table.columns;
    for (const p of latest.values()) {
      const row = table.rows.find((r) => r.symbol === p.symbol && r.timeframe === p.timeframe);
      if (!row || orderStatus === undefined) {
        unplaceable.push(p);
        continue;
      }
      const cell = (column: number, value: string) => writes.push({ tab: this.o.tab, row: row.sheetRow, column: column + 1, value });
      cell(orderStatus, p.status);
      if (lastUpdated !== undefined) cell(lastUpdated, p.updatedAt);
      if (reason !== undefined) cell(reason, p.reason ?? '');
      // Read at write time, so the cell shows the book as it is when the status lands.
      if (position !== undefined && this.o.positionOf) cell(position, String(this.o.positionOf(p.symbol, p.timeframe)));
    }
    return { writes, unplaceable };
  }
}
