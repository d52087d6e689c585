/** One line of the Signals log, as the journal holds it; its cells are built from the signal's record. */
export interface SignalLogEntry {
  /** Order of arrival in the log; the tab shows entries by it. */
  seq: number;
  signalId: string;
  /** A repeat answered `duplicate`; `signalId` is then the original's. */
  duplicate: boolean;
  receivedAt: number;
  /** The webhook's answer, when somebody was waiting for one. */
  answerStatus?: string;
  latencyMs?: number;
  /** Counts changes not yet written to the tab; 0 once written. */
  dirty: number;
}

/** The durable log behind the Signals tab: one entry per authenticated alert, rewritten when it changes. */
export interface SignalLogStore {
  /** Creates the signal's entry (once) or marks it changed; an answer, when given, is kept on it. */
  noteSignal(signalId: string, receivedAt: number, answer?: { status: string; latencyMs: number }): void;
  /** Adds an entry for a repeat of `signalId` that was answered `duplicate`. */
  noteDuplicate(signalId: string, receivedAt: number, latencyMs?: number): void;
  /** Entries changed since they were last written, oldest first. */
  changedEntries(limit: number): SignalLogEntry[];
  /** Entries with `from <= seq <= to`, oldest first. */
  entriesBetween(from: number, to: number): SignalLogEntry[];
  /** The newest entry's seq; 0 when the log is empty. */
  lastSeq(): number;
  /** Marks entries written, unless they changed again since they were read. */
  markWritten(entries: Pick<SignalLogEntry, 'seq' | 'dirty'>[]): void;
}
