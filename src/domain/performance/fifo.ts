/**
 * FIFO matching of fills into closed round trips, per symbol, in both
 * directions. Pure: shared by the Performance tab, the paper broker's book and
 * the analytics CLI.
 *
 * Granularity: one round trip per (entry order, exit order) pair. Partial fills
 * of the same entry order closed by the same exit order merge into one round
 * trip (qty summed, prices quantity-weighted), so a broker splitting an order
 * into pieces never inflates the trade count. A closing order that consumes
 * lots from two different entry orders gives two round trips, each with its
 * own entry price and P&L, like the FIFO tax lots on a broker statement.
 */
import type { Fill } from '../types';

/** One closed slice of a position: what was opened, what closed it, and the realised P&L (unrounded). */
export interface RoundTrip {
  symbol: string;
  direction: 'long' | 'short';
  qty: number;
  entryPrice: number;
  exitPrice: number;
  entryTime: string;
  exitTime: string;
  pnl: number;
}

/** A still-open lot; `qty` is signed (+ long, - short). A `price` of NaN means "unknown" (see opening-lots.ts). */
export interface OpenLot {
  symbol: string;
  qty: number /* signed: + long, - short */;
  price: number;
  time: string;
}

/** The closed round trips (in closing order) and the lots left open (oldest first per symbol). */
export interface FifoResult {
  roundTrips: RoundTrip[];
  openLots: OpenLot[];
}

/** Quantities closer than this are equal; keeps fractional shares (1e-9) from leaving dust lots. */
export const QTY_EPSILON = 1e-9;

interface Lot extends OpenLot {
  /** The entry order's id, so partial fills of one order can merge. */
  key: string;
}

interface Trip extends RoundTrip {
  entryKey: string;
  exitKey: string;
}

/** Oldest first; the id breaks ties between fills in the same millisecond. */
function byTimeThenId(a: Fill, b: Fill): number {
  const dt = Date.parse(a.time) - Date.parse(b.time);
  if (dt !== 0) return dt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Adds one matched slice, merging it into the symbol's previous trip when both orders are the same. */
function record(trips: Trip[], last: Trip | undefined, slice: Trip): Trip {
  if (last && last.entryKey === slice.entryKey && last.exitKey === slice.exitKey) {
    const qty = last.qty + slice.qty;
    last.entryPrice = (last.entryPrice * last.qty + slice.entryPrice * slice.qty) / qty;
    last.exitPrice = (last.exitPrice * last.qty + slice.exitPrice * slice.qty) / qty;
    last.exitTime = slice.exitTime;
    last.pnl += slice.pnl;
    last.qty = qty;
    return last;
  }
  trips.push(slice);
  return slice;
}

/** Closes lots of `book` against one fill (FIFO) and opens a new lot with any remainder. */
function apply(book: Lot[], trips: Trip[], lastTrips: Map<string, Trip>, fill: Fill): void {
  const sign = fill.side === 'buy' ? 1 : -1;
  let remaining = fill.qty;
  const exitKey = fill.orderId || fill.id;
  while (remaining > QTY_EPSILON && book.length > 0 && Math.sign(book[0].qty) === -sign) {
    const lot = book[0];
    const qty = Math.min(Math.abs(lot.qty), remaining);
    const long = lot.qty > 0;
    const trip = record(trips, lastTrips.get(fill.symbol), {
      symbol: fill.symbol,
      direction: long ? 'long' : 'short',
      qty,
      entryPrice: lot.price,
      exitPrice: fill.price,
      entryTime: lot.time,
      exitTime: fill.time,
      pnl: (long ? fill.price - lot.price : lot.price - fill.price) * qty,
      entryKey: lot.key,
      exitKey,
    });
    lastTrips.set(fill.symbol, trip);
    remaining -= qty;
    lot.qty += sign * qty;
    if (Math.abs(lot.qty) <= QTY_EPSILON) book.shift();
  }
  if (remaining > QTY_EPSILON) {
    book.push({ symbol: fill.symbol, qty: sign * remaining, price: fill.price, time: fill.time, key: exitKey });
  }
}

/**
 * Matches fills (any order; sorted by time then id inside) FIFO per symbol in
 * both directions. `openingLots` seeds each symbol's book before the first
 * fill (positions held when the fills' window starts), so a fill that closes
 * them is matched against them instead of opening a phantom new position.
 */
export function matchFifo(fills: Fill[], openingLots: OpenLot[] = []): FifoResult {
  const books = new Map<string, Lot[]>();
  const bookOf = (symbol: string): Lot[] => {
    let book = books.get(symbol);
    if (!book) books.set(symbol, (book = []));
    return book;
  };
  openingLots.forEach((lot, i) => {
    if (Math.abs(lot.qty) > QTY_EPSILON) bookOf(lot.symbol).push({ ...lot, key: `opening:${i}` });
  });
  const trips: Trip[] = [];
  const lastTrips = new Map<string, Trip>();
  for (const fill of [...fills].sort(byTimeThenId)) {
    if (fill.qty > QTY_EPSILON) apply(bookOf(fill.symbol), trips, lastTrips, fill);
  }
  const roundTrips = trips.map(({ entryKey: _e, exitKey: _x, ...trip }) => trip);
  const openLots = [...books.values()].flat().map(({ key: _k, ...lot }) => lot);
  return { roundTrips, openLots };
}
