import { SIGNALS_COLUMNS, signalRow } from '../../domain/sheet/signal-row';
import type { BlockWrite, OrderJournal, SignalJournal, SignalLogEntry, SignalLogStore, StateStore } from '../../ports';

/** Where the Signals tab lives and how long it may grow. */
export interface SignalsTabOptions {
  store: SignalLogStore;
  tab: string;
  /** SIGNALS_TAB_MAX_ROWS: the most data rows the tab holds (header apart). */
  maxRows: number;
}

/** What the tab shows now: entries from `base` on, one row each, written up to `shownThrough`. */
interface TabState {
  tab: string;
  base: number;
  shownThrough: number;
}

/** The writes of one flush and what to record once they landed. */
export interface SignalsTabPlan {
  writes: BlockWrite[];
  rows: number;
  /** Call after the write succeeded. */
  commit(): void;
}

const STATE_KEY = 'signals_tab';

/**
 * Turns the Signals log into writes for the tab. Entry `seq` sits in row
 * `2 + seq - base` (row 1 is the header), so a later fill rewrites the same
 * row. When the log outgrows SIGNALS_TAB_MAX_ROWS the whole tab is rewritten
 * in one block from a later `base`, a tenth below the limit so this happens
 * rarely; rows below the new end are blanked in the same block. The tab's
 * position is kept in the journal, so a restart continues where it was.
 */
/** The parts of the journal the tab reads: each entry's signal and orders, and its own position in the state table. */
export type SignalsTabJournal = SignalJournal & OrderJournal & StateStore;

export class SignalsTab {
  constructor(
    private readonly journal: SignalsTabJournal,
    private readonly o: SignalsTabOptions,
    private readonly timezone: string,
  ) {}

  /** The tab's name. */
  get tab(): string {
    return this.o.tab;
  }

  /** True when the tab has never been written from this journal (or went missing): it may not exist yet. */
  isUnwritten(): boolean {
    return this.state() === undefined;
  }

  /** True when some entry waits to be written. */
  hasChanges(): boolean {
    return this.o.store.changedEntries(1).length > 0;
  }

  /** The writes for every changed entry; undefined when nothing changed. */
  plan(): SignalsTabPlan | undefined {
    const changed = this.o.store.changedEntries(this.o.maxRows);
    if (changed.length === 0) return undefined;
    const last = this.o.store.lastSeq();
    const state = this.state();
    if (!state || last - state.base + 1 > this.o.maxRows) return this.rewrite(state, last, changed);
    const visible = changed.filter((e) => e.seq >= state.base);
    const writes = runsOf(visible).map((run) => ({
      tab: this.o.tab,
      row: 2 + run[0].seq - state.base,
      column: 1,
      rows: run.map((e) => this.cells(e)),
    }));
    return {
      writes,
      rows: visible.length,
      commit: () => {
        this.save({ ...state, shownThrough: Math.max(state.shownThrough, last) });
        this.o.store.markWritten(changed);
      },
    };
  }

  /** The tab went missing (deleted by hand): the next plan writes it whole, header first. */
  forget(): void {
    this.journal.set(STATE_KEY, '');
  }

  /** Header and the newest entries from row 1, blanking what the old extent held below them. */
  private rewrite(state: TabState | undefined, last: number, changed: SignalLogEntry[]): SignalsTabPlan {
    const keep = state ? this.o.maxRows - Math.floor(this.o.maxRows / 10) : this.o.maxRows;
    const base = Math.max(1, state?.base ?? 1, last - keep + 1);
    const entries = this.o.store.entriesBetween(base, last);
    const rows: string[][] = [[...SIGNALS_COLUMNS], ...entries.map((e) => this.cells(e))];
    const oldHeight = state ? 1 + Math.max(0, state.shownThrough - state.base + 1) : 0;
    while (rows.length < oldHeight) rows.push(SIGNALS_COLUMNS.map(() => ''));
    return {
      writes: [{ tab: this.o.tab, row: 1, column: 1, rows }],
      rows: entries.length,
      commit: () => {
        this.save({ tab: this.o.tab, base, shownThrough: last });
        this.o.store.markWritten([...entries, ...changed.filter((e) => e.seq < base)]);
      },
    };
  }

  private cells(entry: SignalLogEntry): string[] {
    const record = this.journal.getSignal(entry.signalId);
    if (!record) return [...SIGNALS_COLUMNS.slice(1).map(() => ''), entry.signalId];
    return signalRow(
      {
        signalId: entry.signalId,
        receivedAt: entry.receivedAt,
        signal: record.signal,
        duplicate: entry.duplicate,
        answerStatus: entry.answerStatus,
        status: record.state === 'done' ? record.status : undefined,
        reason: record.reason,
        orders: this.journal.ordersForSignal(entry.signalId),
        latencyMs: entry.latencyMs,
      },
      this.timezone,
    );
  }

  private state(): TabState | undefined {
    const text = this.journal.get(STATE_KEY);
    if (!text) return undefined;
    try {
      const s = JSON.parse(text) as TabState;
      return s.tab === this.o.tab && Number.isInteger(s.base) && Number.isInteger(s.shownThrough) ? s : undefined;
    } catch {
      return undefined;
    }
  }

  private save(state: TabState): void {
    this.journal.set(STATE_KEY, JSON.stringify(state));
  }
}

/** Entries grouped into runs of consecutive seq, so each run is one block. */
function runsOf(entries: SignalLogEntry[]): SignalLogEntry[][] {
  const runs: SignalLogEntry[][] = [];
  for (const e of entries) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1].seq === e.seq - 1) run.push(e);
    else runs.push([e]);
  }
  return runs;
}
