import type { ConfigRow } from '../domain/config-table';
import type { TradeIntent } from '../domain/trade-plan';
import type { Signal } from '../domain/types';
import type { Broker, Clock, Journal, Logger } from '../ports';
import type { ConfigSource } from './config-source';
import type { OrderFollower } from './order-follower';
import type { StatusOutbox } from './status-outbox';
import type { SymbolLocks } from './symbol-locks';

/** A guard's refusal: what to answer, what the row should show, and why. */
export interface GuardVerdict {
  /** The JSON answer's `status` (e.g. `halted`, `stale`, `FAILED`). */
  status: string;
  reason: string;
  /** The row's Order Status, when the refusal should show in the sheet. */
  sheetStatus?: string;
}

/** Checks that can stop a signal before it trades; each returns undefined to let it pass. */
export interface SignalGuards {
  /** After the signal is journaled, before the Config is read (kill switch, stale signals). */
  onArrival?(signal: Signal, receivedAt: number): Promise<GuardVerdict | undefined>;
  /** With the row and the plan, before any order is sent (size cap, market hours, loss breaker). */
  beforeOrders?(signal: Signal, row: ConfigRow, intent: TradeIntent): Promise<GuardVerdict | undefined>;
}

/** Timings of the signal path; see the settings for their meaning. */
export interface SignalTimings {
  dedupeWindowMs: number;
  answerDeadlineMs: number;
  flipFillTimeoutMs: number;
  flipResumeMaxAgeMs: number;
}

/** Everything the trading use cases need, wired once in main. */
export interface TradingContext {
  broker: Broker;
  journal: Journal;
  config: ConfigSource;
  outbox: StatusOutbox;
  locks: SymbolLocks;
  follower: OrderFollower;
  clock: Clock;
  logger: Logger;
  timings: SignalTimings;
  guards: SignalGuards;
}
