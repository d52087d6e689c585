/**
 * One row of the Signals tab: what an alert asked for, what became of it,
 * its orders and fill, and how fast it was answered. Pure; the outbox builds
 * rows from the journal with it.
 */
import { slippageBps } from '../performance/slippage';
import { formatStatusTime } from './status-time';
import type { Action, Side, Signal } from '../types';

/** The Signals tab's header, in order. */
export const SIGNALS_COLUMNS = [
  'time',
  'symbol',
  'timeframe',
  'action',
  'market_position',
  'alert_price',
  'outcome',
  'reason',
  'order_ids',
  'fill_price',
  'slippage_bps',
  'latency_ms',
  'signal_id',
] as const;

/** Answers that say the alert was not traded, and are the Signals outcome whatever the row shows. */
const ANSWER_OUTCOMES = ['ignored', 'duplicate', 'stale', 'halted'];

const ACTION_WORD: Record<Action, string> = { long: 'BUY', short: 'SELL', close: 'CLOSE' };

/** An order of the signal, as much of it as the row shows. */
export interface SignalRowOrder {
  leg: string;
  side: Side;
  state: string;
  clientOrderId: string;
  brokerId?: string;
  filledAvgPrice?: number;
}

/** Everything one row is made of. */
export interface SignalRowInput {
  signalId: string;
  receivedAt: number;
  signal: Signal;
  duplicate: boolean;
  answerStatus?: string;
  /** The journal's decided status and reason, once the outcome is known. */
  status?: string;
  reason?: string;
  orders: SignalRowOrder[];
  latencyMs?: number;
}

/**
 * The outcome word: `duplicate`, `ignored`, `stale` or `halted` when the
 * answer said so; else the row status the journal decided (FILLED, FAILED…);
 * else the answer given while still working (ORDER SUBMITTED, accepted).
 */
export function signalOutcome(input: Pick<SignalRowInput, 'duplicate' | 'answerStatus' | 'status'>): string {
  if (input.duplicate) return 'duplicate';
  if (input.answerStatus && ANSWER_OUTCOMES.includes(input.answerStatus)) return input.answerStatus;
  return input.status ?? input.answerStatus ?? 'working';
}

/** The order whose fill the row reports: the opening leg when it filled, else the last filled one. */
function reportedFill(orders: SignalRowOrder[]): SignalRowOrder | undefined {
  const filled = orders.filter((o) => o.state === 'filled' && o.filledAvgPrice !== undefined);
  return filled.find((o) => o.leg === 'open') ?? filled[filled.length - 1];
}

/** The row's cells, in SIGNALS_COLUMNS order, as text. */
export function signalRow(input: SignalRowInput, timezone: string): string[] {
  const { signal } = input;
  const fill = input.duplicate ? undefined : reportedFill(input.orders);
  const slippage =
    fill?.filledAvgPrice !== undefined && signal.price !== undefined && signal.price > 0
      ? slippageBps(fill.side, signal.price, fill.filledAvgPrice).toFixed(1)
      : '';
  return [
    formatStatusTime(new Date(input.receivedAt), timezone),
    signal.symbol,
    signal.timeframeLabel,
    ACTION_WORD[signal.alertAction ?? signal.action],
    signal.strategy?.marketPosition ?? '',
    signal.price === undefined ? '' : String(signal.price),
    signalOutcome(input),
    input.duplicate ? 'this alert was already handled' : (input.reason ?? ''),
    input.duplicate ? '' : input.orders.map((o) => o.brokerId ?? o.clientOrderId).join(' '),
    fill?.filledAvgPrice === undefined ? '' : String(fill.filledAvgPrice),
    slippage,
    input.latencyMs === undefined ? '' : String(input.latencyMs),
    input.signalId,
  ];
}
