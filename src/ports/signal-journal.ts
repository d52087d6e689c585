import type { Signal } from '../domain/types';
import type { SignalIdentity } from '../domain/signal/signal-identity';

/** A signal as the journal holds it. `state` is `working` until its outcome is decided. */
export interface SignalRecord {
  id: string;
  receivedAt: number;
  signal: Signal;
  /** The body as received, secret fields removed. */
  raw: string;
  state: 'working' | 'done';
  decision?: string;
  status?: string;
  reason?: string;
  /** The client order id of the bot's queued order this signal waits behind (per-row), if it does. */
  waitsFor?: string;
}

/** The journal's signals: each recorded once on arrival, its decision, and the signals that wait behind an order. */
export interface SignalJournal {
  /** Records a signal unless its identity was seen (stable) or seen within the window; says which. */
  recordSignal(input: { identity: SignalIdentity; windowMs: number; receivedAt: number; raw: string; signal: Signal }): {
    signalId: string;
    duplicate: boolean;
  };
  getSignal(signalId: string): SignalRecord | undefined;
  /** Marks the signal done with its decision (e.g. "bought", "ignored: no row") and sheet status. */
  decide(signalId: string, decision: string, status?: string, reason?: string): void;
  /** Signals whose outcome was never decided (the process stopped mid-way). */
  workingSignals(): SignalRecord[];
  /**
   * Records that the signal waits behind the bot's own queued order `clientOrderId`, to be traded
   * again when that order ends; undefined: it waits no more.
   */
  deferSignal(signalId: string, clientOrderId: string | undefined): void;
  /** The signals waiting behind `clientOrderId`, oldest first; each is released (no longer waiting) by this call. */
  releaseSignalsBehind(clientOrderId: string): SignalRecord[];
  /**
   * Rows whose latest outcome says a position is open (FILLED, ALREADY LONG or
   * ALREADY SHORT, with no newer signal still working or ending WAITING).
   */
  rowsBelievedOpen(): { signalId: string; symbol: string; timeframe: string; status: string }[];
  /** Journaled signals, newest first, optionally for one symbol and since a time (GET /signals). */
  recentSignals(query: { limit: number; symbol?: string; sinceMs?: number }): SignalRecord[];
}
