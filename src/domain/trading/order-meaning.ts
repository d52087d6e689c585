/**
 * What an order means, journaled with it when it is sent, so that its fill
 * (seconds, hours or a restart later) is applied the same way whenever it
 * comes: its role, the row books it moves, and what it sets off. Pure.
 */
import type { ProtectionSettings } from './protection';
import type { Side } from '../types';

/**
 * Why an order exists. An `entry` opens or adds exposure (a halt stops it, and
 * the opening leg of a flip expires); an `exit` reduces it; `exit-rest` is the
 * rest of a per-row exit across zero, which never expires; `flatten` comes from
 * POST /flatten; `protective` is a resting stop, target or trailing stop.
 */
export type OrderRole = 'entry' | 'exit' | 'exit-rest' | 'flatten' | 'protective';

/** A refusal to show once the order's chain ends (why the signal's own entry was not made). */
export interface Refusal {
  status: string;
  reason: string;
  sheetStatus?: string;
}

/** The order a fill sets off: a flip's opening leg, or the rest of a per-row exit across zero. */
export interface NextLeg {
  side: Side;
  qty?: number;
  notional?: number;
  /** `entry` legs expire and a halt stops them; the rest of an exit never does. */
  exposure: 'entry' | 'exit';
  /** What the leg's statuses say beside the word (MAX_POSITION_USD cut its size). */
  note?: string;
  /** Set when the leg goes as a limit order (the row's `order_type`). */
  limit?: LimitTerms;
}

/** How a limit order is priced: `offsetPct` through the last trade; in extended hours when `extendedHours`. */
export interface LimitTerms {
  offsetPct: number;
  /** The order trades in the pre-market or after-hours: an exit's next try is then a limit again, re-priced. */
  extendedHours?: boolean;
}

/**
 * When a working order stops waiting: at `deadline` (ISO) it is cancelled unless it filled. An entry then
 * ends with what filled; an exit is sent again (see `nextExitTry`).
 */
export interface Timeout {
  deadline: string;
  /** LIMIT_TIMEOUT_SECONDS when the order was sent: the status names it. */
  seconds: number;
}

/** One row's part of an order's fills (per-row mode): the signed shares its book moves when the order fills whole. */
export interface BookShare {
  timeframe: string;
  qty: number;
}

/** Journaled with every order: what its final state sets off. */
export interface OrderMeaning {
  role: OrderRole;
  /** Sent once this order has filled. */
  next?: NextLeg;
  /** Why the signal's own entry was refused; shown when its chain ends. */
  refusal?: Refusal;
  /** Shared mode: the row's protective exits, for what an entry leaves held (absent: the position is left unprotected by the bot). */
  protect?: ProtectionSettings;
  /** The row books the fills move (per-row mode); several for a flatten's close. */
  books?: BookShare[];
  /** The Config row's Time Frame as the trader wrote it ("30 Min"), for the statuses the fill writes. */
  label?: string;
  /** What the row's status says beside FILLED or ORDER SUBMITTED (MAX_POSITION_USD cut the entry's size). */
  note?: string;
  /** The row trades extended hours: this order and the leg its fill sets off go as extended-hours limits in pre-market and after-hours. */
  extendedHours?: boolean;
  /** Set when the order goes as a limit order, priced as these terms say. */
  limit?: LimitTerms;
  /** Set on an order that is cancelled unless it fills in time: a limit order, and every try of an exit after one. */
  timeout?: Timeout;
  /** Which try of an exit this is (absent: the first); an exit not filled after `EXIT_TRIES` is FAILED. */
  attempt?: number;
}

/** How many times an exit that does not fill is sent before it is FAILED. */
export const EXIT_TRIES = 3;

/**
 * The meaning of an exit's next try, once `meaning`'s order ended with `filled` of its shares: a limit
 * again (re-priced) when it traded in extended hours, else at market; every try waits `timeout` at most.
 * Its books are what the earlier try left. Undefined after the last try.
 */
export function nextExitTry(meaning: OrderMeaning, filled: number): OrderMeaning | undefined {
  const attempt = (meaning.attempt ?? 1) + 1;
  if (attempt > EXIT_TRIES) return undefined;
  const limit = meaning.limit?.extendedHours ? meaning.limit : undefined;
  const books = meaning.books && booksLeft(meaning.books, filled);
  return { ...meaning, attempt, limit, timeout: undefined, books };
}

/** What `books` still have to move once `filled` shares of their order filled (see `allocateFill`). */
export function booksLeft(books: readonly BookShare[], filled: number): BookShare[] {
  const moved = allocateFill(books, filled);
  return books
    .map((b) => ({ timeframe: b.timeframe, qty: round9(b.qty - (moved.find((m) => m.timeframe === b.timeframe)?.qty ?? 0)) }))
    .filter((b) => Math.abs(b.qty) > 1e-9);
}

/** The meaning with the row's order type: the leg it sends, and the leg its fill sets off, go as limit orders. */
export function withLimit(meaning: OrderMeaning, limit: LimitTerms | undefined): OrderMeaning {
  if (!limit) return meaning;
  return { ...meaning, limit, next: meaning.next && { ...meaning.next, limit } };
}

const round9 = (n: number) => Math.round(n * 1e9) / 1e9;

/** The role of an order leg sent for a signal, from whether it opens exposure. */
export function roleOf(exposure: 'entry' | 'exit', restOfExit = false): OrderRole {
  if (exposure === 'entry') return 'entry';
  return restOfExit ? 'exit-rest' : 'exit';
}

/**
 * How `filled` shares of an order split over its books. Books on the order's
 * own side (the sign of their sum) take the fill in turn, each up to its own
 * share, so a partial fill moves the first rows first; books on the other
 * side (rows whose shares the others take over inside the symbol, as in a
 * flatten of a netted position) move whole as soon as anything fills, and
 * the side that fills takes that much more. The books never move past what was asked.
 */
export function allocateFill(books: readonly BookShare[], filled: number): BookShare[] {
  const sign = Math.sign(books.reduce((sum, b) => sum + b.qty, 0)) || 1;
  const across = books.filter((b) => Math.sign(b.qty) === -sign);
  let left = Math.abs(filled) + across.reduce((sum, b) => sum + Math.abs(b.qty), 0);
  const out: BookShare[] = Math.abs(filled) > 1e-9 ? across.map((b) => ({ ...b })) : [];
  for (const b of books.filter((x) => Math.sign(x.qty) === sign)) {
    if (left <= 1e-9) break;
    const take = Math.min(Math.abs(b.qty), left);
    left = Math.round((left - take) * 1e9) / 1e9;
    out.push({ timeframe: b.timeframe, qty: sign * take });
  }
  return out;
}
