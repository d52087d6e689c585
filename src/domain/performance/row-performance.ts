/**
 * The Performance tab in per-row mode: each row's book changes become fills
 * of a pseudo-symbol "<SYMBOL> <timeframe>", so the FIFO matching and the
 * tab's arithmetic are the same as for a shared position. Pure.
 */
import { matchFifo, type RoundTrip } from './fifo';
import type { Fill, Position } from '../types';

/** One change to a row's book, as the journal keeps it. */
export interface RowChange {
  id: number;
  /** What makes it unique, applied once: the client order id of a fill (`tb-<signal>-<leg>`), or a signal id. */
  ref?: string;
  symbol: string;
  timeframe: string;
  /** Signed shares added to the row. */
  qty: number;
  /** Fill price (or latest price for a netted or corrected change); undefined leaves its round trip unpriced. */
  price?: number;
  at: number;
}

/** The label of a row on the Performance tab, e.g. "AAPL 15m". */
export const rowLabel = (symbol: string, timeframe: string) => `${symbol} ${timeframe}`;

/** What buildPerformanceRows needs, per row: round trips closed in the window, each row's open position, the rows traded. */
export interface RowPerformance {
  roundTrips: RoundTrip[];
  positions: Position[];
  labels: string[];
}

/**
 * Matches every row's changes FIFO (from the first, so lots opened before the
 * window keep their price) and keeps the round trips closed at or after
 * `windowStart`. Open lots are valued at `priceOf(symbol)` when it is known.
 */
export function rowPerformance(changes: RowChange[], windowStart: number, priceOf: (symbol: string) => number | undefined): RowPerformance {
  const fills: Fill[] = changes
    .filter((c) => c.qty !== 0)
    .map((c) => ({
      id: String(c.id).padStart(12, '0'),
      symbol: rowLabel(c.symbol, c.timeframe),
      side: c.qty > 0 ? 'buy' : 'sell',
      qty: Math.abs(c.qty),
      price: c.price ?? Number.NaN,
      time: new Date(c.at).toISOString(),
      // The legs of one signal (a net that crossed zero) count as one order, so one trade.
      orderId: c.ref?.replace(/-(close|open|scale)$/, '') ?? `row-change-${c.id}`,
    }));
  const { roundTrips, openLots } = matchFifo(fills);
  const symbolOf = new Map(changes.map((c) => [rowLabel(c.symbol, c.timeframe), c.symbol]));
  const positions = new Map<string, Position>();
  for (const lot of openLots) {
    const price = priceOf(symbolOf.get(lot.symbol)!);
    const p = positions.get(lot.symbol) ?? { symbol: lot.symbol, qty: 0, side: 'long', avgEntryPrice: 0, marketValue: 0, unrealizedPl: 0 };
    p.qty += lot.qty;
    p.side = p.qty < 0 ? 'short' : 'long';
    if (price !== undefined && Number.isFinite(lot.price)) p.unrealizedPl += (price - lot.price) * lot.qty;
    positions.set(lot.symbol, p);
  }
  const recent = changes.filter((c) => c.at >= windowStart).map((c) => rowLabel(c.symbol, c.timeframe));
  return {
    roundTrips: roundTrips.filter((t) => Date.parse(t.exitTime) >= windowStart),
    positions: [...positions.values()],
    labels: [...new Set(recent)],
  };
}
