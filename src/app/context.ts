import type { RowSettings } from '../domain/trading/config-cells';
import type { Signal } from '../domain/types';
import type { Broker, Clock, Journal, LocalMarket, Logger, Notifier } from '../ports';
import type { AssetFacts } from './positions/asset-facts';
import type { MarketSessions } from './guards/market-session';
import type { ConfigSource } from './sheet/config-source';
import type { OrderReactor } from './orders/order-reactor';
import type { PositionStrategy } from './strategies/position-strategy';
import type { StatusOutbox } from './sheet/status-outbox';
import type { SymbolLocks } from './orders/symbol-locks';

/** A guard's refusal: what to answer, what the row should show, and why. */
export interface GuardVerdict {
  /** The JSON answer's `status` (e.g. `halted`, `stale`, `FAILED`). */
  status: string;
  reason: string;
  /** The row's Order Status, when the refusal should show in the sheet. */
  sheetStatus?: string;
}

/** Whether an order leg reduces exposure (an exit) or opens or adds to it (an entry). */
export type Exposure = 'exit' | 'entry';

/** An entry's value, for the size cap: the order's own, and the position it would leave. */
export interface EntryValue {
  /** Its notional, or its quantity × the price used to size it. */
  orderValue: number;
  /** The whole position after it, valued at the broker's latest price. */
  resultingValue: number;
}

/** What the entry filters judge an entry by: the row's own filters, when it went flat, and whether it opens a new symbol. */
export interface EntryFilterInput {
  symbol: string;
  /** The row's trade_window and cooldown_min. */
  row: Pick<RowSettings, 'tradeWindow' | 'cooldownMin'>;
  /** When the row's position went flat (ms), set only while it is flat and the journal knows: the cooldown counts from it. */
  flatSince?: number;
  /** True when the entry would open a symbol the account holds none of (MAX_OPEN_POSITIONS counts it). */
  opensSymbol: boolean;
}

/**
 * Checks that can stop a signal or one of its legs; each returns undefined
 * to let it pass. Exits are refused only by a halt with HALT_BLOCKS_CLOSE
 * and by market hours; entries by the halt, the loss breaker, the entry filters and the size cap too.
 */
export interface SignalGuards {
  /** After the signal is journaled, before the Config is read: a halt that blocks closes too refuses the whole signal. */
  onArrival?(signal: Signal, receivedAt: number): Promise<GuardVerdict | undefined>;
  /** A signal fired longer ago than MAX_SIGNAL_AGE_SECONDS: its entries are refused with this; its exits still trade, "late by N s". */
  stale?(signal: Signal, receivedAt: number): GuardVerdict | undefined;
  /**
   * Once a trade is planned, before its first order (market hours). `exitOnly`
   * says the trade opens nothing: an unreadable market clock never blocks it.
   * `extendedHours` (the row's column) lets it through in pre-market and after-hours.
   */
  beforeOrders?(signal: Signal, exitOnly: boolean, extendedHours?: boolean): Promise<GuardVerdict | undefined>;
  /** Immediately before each order leg is sent: the halt and, for entries, the loss breaker. */
  beforeLeg?(exposure: Exposure): Promise<GuardVerdict | undefined>;
  /**
   * Before an entry is sized, after the halt and the breaker: the row's
   * trade_window and cooldown_min, then MAX_OPEN_POSITIONS (which reads the
   * broker's positions only for an entry that opens a new symbol). A refusal is WAITING.
   */
  filterEntry?(input: EntryFilterInput): Promise<GuardVerdict | undefined>;
  /** Before an entry is sent: MAX_POSITION_USD on the order and on the resulting position. */
  capEntry?(value: EntryValue): GuardVerdict | undefined;
  /** MAX_POSITION_USD, to which a computed entry size (shares, % of equity, risk_pct) is cut before `capEntry`; absent: no cap. */
  cutEntryAt?: number;
}

/** Timings of the signal path; see the settings for their meaning. */
export interface SignalTimings {
  dedupeWindowMs: number;
  answerDeadlineMs: number;
  flipFillTimeoutMs: number;
  flipResumeMaxAgeMs: number;
  /** How long a limit order, and each try of an exit after one, waits before it is cancelled. */
  limitTimeoutMs: number;
}

/** Everything the trading use cases need, wired once in main. */
export interface TradingContext {
  broker: Broker;
  /** The market the alerts' prices make, when the broker has none of its own (the paper broker); absent with Alpaca. */
  market?: LocalMarket;
  /** The broker's asset facts, cached for the trading day. */
  assets: AssetFacts;
  journal: Journal;
  config: ConfigSource;
  outbox: StatusOutbox;
  locks: SymbolLocks;
  /** Every order event meets here; it applies each ended order's journaled meaning once. */
  orders: OrderReactor;
  /** How positions are held (POSITION_MODE): one per symbol, or one per Config row netted at the broker. */
  strategy: PositionStrategy;
  clock: Clock;
  logger: Logger;
  timings: SignalTimings;
  guards: SignalGuards;
  /** The broker's calendar, for the session an extended_hours row's order goes in; absent: every order goes as in regular hours. */
  sessions?: MarketSessions;
  /** Channels for alerts that need the trader (a position left without protection); none when absent. */
  notifiers?: readonly Notifier[];
  /** CRYPTO_STOP_LIMIT_PCT: how far beyond its trigger a crypto stop's limit sits, in percent; 1 when absent. */
  cryptoStopLimitPct?: number;
}
