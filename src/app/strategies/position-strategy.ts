/**
 * How positions are held, chosen once in the wiring (POSITION_MODE): one
 * position per symbol shared by its rows, or one book per Config row netted
 * at the broker. The trade skeleton (signal/execute-trade.ts) calls these steps in
 * the same order for both; nothing else in the app asks which mode is on.
 */
import type { BookShare, OrderMeaning } from '../../domain/trading/order-meaning';
import type { Status } from '../../domain/sheet/status';
import type { TradePlan } from '../../domain/trading/trade-plan';
import type { Side } from '../../domain/types';
import type { GuardVerdict, TradingContext } from '../context';
import type { Holdings } from '../positions/holdings';
import type { PositionModeSwitch } from '../positions/row-books';
import type { TradeJob } from '../trade-job';

/**
 * A signal that sends nothing now: it ends (a hold, a refusal, nothing left
 * after netting), or (per-row) it waits behind the bot's own queued order
 * and is traded again when that order ends.
 */
export type Ending =
  | { kind: 'settled'; status: Status; reason?: string; decision: string }
  | { kind: 'refused'; verdict: GuardVerdict }
  | { kind: 'deferred'; reason: string };

/** What the plan step decided: hold (after cancelling `cancelled` working orders), trade, or wait behind a queued order of the bot's. */
export type PlanResult =
  { kind: 'hold'; status: Status; reason: string; cancelled: number; holdings: Holdings } | Planned | Extract<Ending, { kind: 'deferred' }>;

/** A plan that trades, with what it was made from. */
export interface Planned {
  kind: 'trade';
  plan: TradePlan & { kind: 'trade' };
  holdings: Holdings;
  /** Per-row: the row's own shares once its working orders fill. */
  row?: number;
}

/** The plan's entry, checked and sized before anything is sent. */
export interface Checked {
  /** Set when nothing will be sent: how the signal ends. */
  ending?: Ending;
  /** True when what will be sent opens nothing (an unreadable market clock then never blocks it). */
  exitOnly: boolean;
  /** Strategy-specific detail carried to `legs`. */
  detail?: unknown;
}

/** The first order to send for a signal, with its journaled meaning (which carries the next leg, if any). */
export interface FirstLeg {
  kind: 'send';
  leg: 'close' | 'open' | 'scale';
  order: { side: Side; qty?: number; notional?: number };
  meaning: OrderMeaning;
}

/** One way of holding positions; see the file comment. */
export interface PositionStrategy {
  readonly mode: 'shared' | 'per-row';
  /** Whether positions may carry protective exits (a row's stop guards the symbol's whole position, so only shared ones do). */
  readonly protects: boolean;
  /** Plans the signal from what is held, cancelling working orders the plan says to and planning again once they ended. */
  plan(ctx: TradingContext, job: TradeJob, holdings: Holdings): Promise<PlanResult>;
  /** Checks and sizes the plan's entry; a refused entry never blocks its exit. */
  check(ctx: TradingContext, job: TradeJob, planned: Planned): Promise<Checked>;
  /** The first leg to send, or how the signal ends (per-row nets against other rows' working orders here). */
  legs(ctx: TradingContext, job: TradeJob, planned: Planned, checked: Checked): Promise<FirstLeg | Ending>;
  /** The Config row whose book an order sent for `job` moves; none in shared mode. */
  bookOf(job: TradeJob): string | undefined;
  /** The status a filled order leaves its row with. */
  filledStatus(ctx: TradingContext, job: TradeJob): Status;
  /** After `job` left the symbol `held` (a side, or flat): the symbol's other rows are told, where they share the position. */
  retell(ctx: TradingContext, job: TradeJob, held: 'long' | 'short' | undefined): void;
  /** Checks what the rows believe against the broker and corrects them; returns how many rows changed. */
  reconcile(ctx: TradingContext): Promise<number>;
  /**
   * At start-up, before the port is bound: reads what entering this mode needs; the switch (journal
   * writes only) is applied once the port is bound, or undefined when already in it.
   */
  enter(ctx: TradingContext): Promise<PositionModeSwitch | undefined>;
  /** The row books a flatten's close of `symbol` moves; none in shared mode. */
  flattenBooks(ctx: TradingContext, symbol: string): BookShare[] | undefined;
}
