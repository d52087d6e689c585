/**
 * The Positions tab: per symbol what is held, at what price, how the broker
 * protects it, and (per-row mode) each Config row's share. Pure.
 */
import { formatMoney, formatQty } from '../performance/money';
import type { Order, Position } from '../types';

/** The tab's headers, in order. */
export const POSITIONS_COLUMNS = [
  'symbol',
  'side',
  'qty',
  'avg_entry',
  'last',
  'market_value',
  'unrealized_pl',
  'protection',
  'rows',
  'updated',
] as const;

/** One Config row's own position (per-row mode). */
export interface RowShare {
  symbol: string;
  timeframe: string;
  qty: number;
}

/** What protects nothing. */
export const NO_PROTECTION = 'none';

/** A price as Alpaca ticks it: cents at $1 and above, hundredths of a cent below. */
export function formatPrice(x: number): string {
  return Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(4);
}

/** A percentage without trailing zeros: 5 → `5%`, 2.5 → `2.5%`. */
function percent(x: number): string {
  return `${Number(x.toFixed(4))}%`;
}

/**
 * One protective order in words, with its broker id: `stop 196.00 · target
 * 208.00 [order …]` for an OCO pair (its stop in `legs`), `stop 196.00`,
 * `target 208.00`, or `trail 5% (stop now 285.00)`.
 */
export function describeProtectiveOrder(order: Order): string {
  const stopLeg = order.legs?.find((l) => l.stopPrice !== undefined);
  const parts: string[] = [];
  if (order.type === 'trailing_stop' || order.trailPercent !== undefined) {
    const now = order.stopPrice === undefined ? '' : ` (stop now ${formatPrice(order.stopPrice)})`;
    parts.push(`trail ${order.trailPercent === undefined ? '?' : percent(order.trailPercent)}${now}`);
  } else if (order.type === 'stop_limit') {
    // Crypto's stop: its limit is no target, but the worst price the stop sells at.
    parts.push(`stop ${formatPrice(order.stopPrice ?? 0)} (limit ${formatPrice(order.limitPrice ?? 0)})`);
  } else {
    const stop = order.stopPrice ?? stopLeg?.stopPrice;
    if (stop !== undefined) parts.push(`stop ${formatPrice(stop)}`);
    if (order.limitPrice !== undefined) parts.push(`target ${formatPrice(order.limitPrice)}`);
    if (parts.length === 0) parts.push(order.type ?? 'exit');
  }
  return `${parts.join(' · ')} [order ${order.id}]`;
}

/** Every protective order of one symbol in words, `; ` between them; `none` when there is none. */
export function describeProtection(orders: readonly Order[]): string {
  return orders.length === 0 ? NO_PROTECTION : orders.map(describeProtectiveOrder).join('; ');
}

/** Each row's signed shares, e.g. `15m +10, 60m -3`; rows with nothing are left out. */
export function describeRows(shares: readonly RowShare[]): string {
  return shares
    .filter((s) => s.qty !== 0)
    .map((s) => `${s.timeframe} ${s.qty > 0 ? '+' : ''}${formatQty(s.qty)}`)
    .join(', ');
}

/** One symbol's line of the tab, as values. */
export interface PositionLine {
  symbol: string;
  side: 'long' | 'short' | 'flat';
  qty: number;
  avgEntry?: number;
  last?: number;
  marketValue: number;
  unrealizedPl: number;
  protection: string;
  /** Per-row mode: each row's share in words; undefined in shared mode. */
  rows?: string;
}

/**
 * One line per symbol held at the broker (and, in per-row mode, per symbol a
 * row still counts as held), sorted by symbol, with its protective orders.
 */
export function positionLines(positions: readonly Position[], protection: readonly Order[], shares?: readonly RowShare[]): PositionLine[] {
  const symbols = new Set([...positions.map((p) => p.symbol), ...(shares ?? []).filter((s) => s.qty !== 0).map((s) => s.symbol)]);
  return [...symbols].sort().map((symbol) => {
    const p = positions.find((x) => x.symbol === symbol);
    const last = p ? (p.currentPrice ?? (p.qty !== 0 ? Math.abs(p.marketValue / p.qty) : undefined)) : undefined;
    return {
      symbol,
      side: p ? p.side : 'flat',
      qty: p?.qty ?? 0,
      ...(p ? { avgEntry: p.avgEntryPrice } : {}),
      ...(last !== undefined ? { last } : {}),
      marketValue: p?.marketValue ?? 0,
      unrealizedPl: p?.unrealizedPl ?? 0,
      protection: describeProtection(protection.filter((o) => o.symbol === symbol)),
      ...(shares ? { rows: describeRows(shares.filter((s) => s.symbol === symbol)) } : {}),
    };
  });
}

/** The tab's cells: the header, then one row per line, stamped `updated`. */
export function renderPositionsTable(lines: readonly PositionLine[], updated: string): string[][] {
  return [
    [...POSITIONS_COLUMNS],
    ...lines.map((l) => [
      l.symbol,
      l.side,
      formatQty(l.qty),
      l.avgEntry === undefined ? '' : formatPrice(l.avgEntry),
      l.last === undefined ? '' : formatPrice(l.last),
      formatMoney(l.marketValue),
      formatMoney(l.unrealizedPl),
      l.protection,
      l.rows ?? '',
      updated,
    ]),
  ];
}
