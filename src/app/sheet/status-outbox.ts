import type { ConfigTable } from '../../domain/trading/config-table';
import { describeError, NotFoundError } from '../../domain/errors';
import type { Status } from '../../domain/sheet/status';
import { formatStatusTime } from '../../domain/sheet/status-time';
import type { CellWrite, Clock, Logger, PendingStatus, SheetStore, SheetWrite, StatusQueue } from '../../ports';
import type { ConfigSource } from './config-source';
import { exponentialBackoff, pollUntil, type Backoff } from '../../shared/retry';
import { SignalsTab, type SignalsTabJournal, type SignalsTabOptions } from './signals-tab';

/** Tuning of the outbox; defaults suit Sheets' 60 writes a minute. */
export interface OutboxOptions {
  tab: string;
  timezone: string;
  /** Gathers a burst into one write. */
  debounceMs?: number;
  /** Floor between two write requests. */
  minWriteIntervalMs?: number;
  /** The first wait after a failed write, doubling per failure (with jitter) up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** The Signals tab's log, written in the same requests as statuses; off when absent. */
  signals?: SignalsTabOptions;
  /** Per-row mode: the row's own signed shares, written into the optional `Position` column with its status. */
  positionOf?: (symbol: string, timeframe: string) => number;
}

type FlushResult = 'empty' | 'more' | 'failed';

/** While draining at shutdown, the pause after a failed flush: short, since the clock is running out. */
const DRAIN_RETRY_MS = 500;

/**
 * Status writes into the sheet go through here, and so do the Signals tab's
 * rows. Each status is first saved in the journal, then written in batches
 * (one `values:batchUpdate` per flush, statuses and log rows together),
 * oldest first, the latest status winning per row. Rows are located from a
 * Config read made for that flush, never from an older copy, so a tab sorted
 * meanwhile still gets each status in the right row. Any failure keeps
 * everything queued and retries with exponential backoff and jitter: an
 * outage delays statuses and log rows, never loses them, and never blocks trading.
 */
export class StatusOutbox {
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<FlushResult>;
  private failures = 0;
  private lastWriteAt = 0;
  private stopped = false;
  private readonly o: Required<Omit<OutboxOptions, 'signals' | 'positionOf'>> & Pick<OutboxOptions, 'positionOf'>;
  private readonly signals?: SignalsTab;
  private readonly store?: SignalsTabOptions['store'];
  private readonly backoff: Backoff;

  constructor(
    private readonly journal: StatusQueue & SignalsTabJournal,
    private readonly sheet: SheetStore,
    private readonly config: ConfigSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: OutboxOptions,
  ) {
    const { signals, ...rest } = options;
    this.o = { debounceMs: 150, minWriteIntervalMs: 1100, baseBackoffMs: 1000, maxBackoffMs: 60_000, ...rest };
    this.backoff = exponentialBackoff(this.o.baseBackoffMs, this.o.maxBackoffMs, true);
    if (signals) this.signals = new SignalsTab(journal, signals, options.timezone);
    this.store = signals?.store;
  }

  /** Saves the status for the (symbol, timeframe) row durably and schedules a write. */
  post(symbol: string, timeframe: string, status: Status, reason?: string): void {
    const updatedAt = formatStatusTime(this.clock.now(), this.o.timezone);
    this.journal.enqueueStatus({ symbol, timeframe, status, reason, updatedAt });
    this.kick();
  }

  /** The signal's outcome or orders changed: its Signals row is (re)written on the next flush. */
  noteSignal(signalId: string): void {
    this.noting(signalId, () => {
      const record = this.journal.getSignal(signalId);
      if (record) this.store!.noteSignal(signalId, record.receivedAt);
    });
  }

  /**
   * The webhook answered an authenticated alert: its Signals row gets the
   * answer and its latency; a `duplicate` answer gets a row of its own.
   */
  noteAnswer(answer: { signalId?: string; status: string; receivedAt: number; latencyMs: number }): void {
    const { signalId } = answer;
    if (!signalId) return;
    this.noting(signalId, () => {
      if (answer.status === 'duplicate') this.store!.noteDuplicate(signalId, answer.receivedAt, answer.latencyMs);
      else if (this.journal.getSignal(signalId)) this.store!.noteSignal(signalId, answer.receivedAt, answer);
    });
  }

  /** Runs a log update and schedules a flush; the log never stands in the way of a status or an answer. */
  private noting(signalId: string, update: () => void): void {
    if (!this.store) return;
    try {
      update();
      this.kick();
    } catch (err) {
      this.logger.error('signals.note_failed', { signal: signalId, error: describeError(err) });
    }
  }

  /** Schedules a flush soon, unless one is already due. */
  kick(delayMs = this.o.debounceMs): void {
    if (this.stopped || this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runOnce();
    }, delayMs);
  }

  /** Stops scheduling; queued statuses and log rows stay in the journal for the next start. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Flushes until nothing is queued or `timeoutMs` passes; true when empty. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = this.clock.now().getTime() + timeoutMs;
    if (timeoutMs <= 0) return !this.hasBacklog();
    const flush = () => this.flushing ?? this.flushOnce();
    // A flush that wrote and left more goes again at once (it keeps the write floor itself); a failed one pauses.
    await pollUntil(this.clock, await flush(), flush, (result) => result === 'empty' && !this.hasBacklog(), {
      deadline,
      pauseMs: (_, result) => (result === 'failed' ? DRAIN_RETRY_MS : 0),
    });
    return !this.hasBacklog();
  }

  private hasBacklog(): boolean {
    return this.journal.pendingStatuses(1).length > 0 || (this.signals?.hasChanges() ?? false);
  }

  private async runOnce(): Promise<void> {
    const result = await this.flushOnce();
    if (this.stopped) return;
    if (result === 'more') this.kick(this.o.minWriteIntervalMs);
    if (result === 'failed') {
      this.kick(this.backoff(this.failures));
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
    if (!this.hasBacklog()) return 'empty';
    const wait = this.lastWriteAt + this.o.minWriteIntervalMs - this.clock.now().getTime();
    if (wait > 0) await this.clock.sleep(wait);
    const pending = this.journal.pendingStatuses(500);
    let log: ReturnType<SignalsTab['plan']>;
    let unplaced: unknown;
    try {
      const writes: SheetWrite[] = [];
      // A Config tab that can't be read holds the statuses back, not the Signals rows.
      if (pending.length > 0) {
        writes.push(
          ...(await this.statusWrites(pending).catch((err: unknown) => {
            unplaced = err;
            return [];
          })),
        );
      }
      // The first write of the tab makes sure it exists, rather than failing once to find out.
      if (this.signals?.hasChanges() && this.signals.isUnwritten()) await this.createSignalsTab();
      log = this.signals?.plan();
      writes.push(...(log?.writes ?? []));
      if (writes.length > 0) {
        this.lastWriteAt = this.clock.now().getTime();
        await this.sheet.writeCells(writes);
      }
      log?.commit();
      if (unplaced !== undefined) throw unplaced;
      this.journal.completeStatuses(pending.map((p) => p.id));
      this.failures = 0;
      this.logger.info('status.flushed', { statuses: pending.length, cells: writes.length, signal_rows: log?.rows ?? 0 });
      return this.hasBacklog() ? 'more' : 'empty';
    } catch (err) {
      this.failures++;
      this.logger.warn('status.flush_failed', { error: describeError(err), queued: pending.length, attempt: this.failures });
      if (err instanceof NotFoundError && err !== unplaced && log)
        await this.createSignalsTab().catch((e) => this.logger.warn('signals.tab_create_failed', { error: describeError(e) }));
      return 'failed';
    }
  }

  /**
   * Cells for the latest status of each row, located in a Config read started
   * for this flush (never an older copy: a sorted tab would send a status into
   * another symbol's row). Statuses whose row is gone are logged and dropped.
   */
  private async statusWrites(pending: PendingStatus[]): Promise<CellWrite[]> {
    const { table } = await this.config.readFresh(this.clock.now().getTime());
    const { writes, unplaceable } = this.cellsFor(pending, table);
    for (const s of unplaceable) this.logger.warn('status.no_row', { symbol: s.symbol, timeframe: s.timeframe, status: s.status });
    return writes;
  }

  /** Creates the Signals tab when it is missing; the next plan then writes it whole, header first. */
  private async createSignalsTab(): Promise<void> {
    if (await this.sheet.ensureTab(this.signals!.tab)) {
      this.signals!.forget();
      this.logger.warn('signals.tab_created', { tab: this.signals!.tab });
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
      // Every row with the key: repeated rows share one problem and all show it.
      const rows = table.rows.filter((r) => r.symbol === p.symbol && r.timeframe === p.timeframe);
      if (rows.length === 0 || orderStatus === undefined) {
        unplaceable.push(p);
        continue;
      }
      for (const row of rows) {
        const cell = (column: number, value: string) => writes.push({ tab: this.o.tab, row: row.sheetRow, column: column + 1, value });
        cell(orderStatus, p.status);
        if (lastUpdated !== undefined) cell(lastUpdated, p.updatedAt);
        if (reason !== undefined) cell(reason, p.reason ?? '');
        // Read at write time, so the cell shows the book as it is when the status lands.
        if (position !== undefined && this.o.positionOf) cell(position, String(this.o.positionOf(p.symbol, p.timeframe)));
      }
    }
    return { writes, unplaceable };
  }
}
