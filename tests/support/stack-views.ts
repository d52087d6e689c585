/**
 * What the component tests read off a running stack, written once: a Config
 * row's cells and the wait for them, the orders and positions at the fake
 * Alpaca. Both stacks carry these as methods.
 */
import type { FakeAlpaca } from '../fakes/fake-alpaca';
import { waitUntil } from './sheet-row';

/** The cells a wait expects in a Config row: a string must be equal, a pattern must match; a cell left undefined is not looked at. */
export type ExpectedCells = Record<string, string | RegExp | undefined>;

/** The reading helpers every stack offers. */
export interface StackViews {
  /** The Order Status cell of the Config row (symbol, Time Frame). */
  statusOf(symbol: string, timeframe: string): string;
  /** Waits until the row's Order Status is `status`, or fails naming what it shows. */
  waitStatus(symbol: string, timeframe: string, status: string, timeoutMs?: number): Promise<void>;
  /** Waits until each of `cells` holds in the row, or fails naming what the row shows. */
  waitRow(symbol: string, timeframe: string, cells: ExpectedCells, timeoutMs?: number): Promise<void>;
  /**
   * Every order the fake Alpaca received, oldest first, as `side qty` (`side $notional` for a
   * notional order), then ` status` when asked.
   */
  orderLines(withStatus?: boolean): string[];
  /** The fake Alpaca's net position in `symbol`: negative when short, 0 when flat. */
  brokerQty(symbol: string): number;
  /** The orders resting at the fake Alpaca: open and not market (stops, limits, trailing stops). */
  restingOrders(): Record<string, unknown>[];
  /** Waits until `count` orders rest at the fake Alpaca, or fails naming how many do. */
  waitResting(count: number): Promise<void>;
}

const OPEN = ['accepted', 'new', 'pending_cancel'];

/** The views over `alpaca` and the Config rows `row` reads. */
export function stackViews(alpaca: FakeAlpaca, row: (symbol: string, timeframe: string) => Record<string, string>): StackViews {
  const holds = (cells: Record<string, string>, expected: ExpectedCells) =>
    Object.entries(expected).every(
      ([name, want]) => want === undefined || (typeof want === 'string' ? cells[name] === want : want.test(cells[name] ?? '')),
    );
  const waitRow: StackViews['waitRow'] = (symbol, timeframe, expected, timeoutMs) => {
    const names = Object.keys(expected).filter((name) => expected[name] !== undefined);
    const wanted = names.map((name) => `${name} ${expected[name]}`).join(', ');
    const shown = () =>
      Object.entries(row(symbol, timeframe))
        .map(([name, cell]) => `${name} ${cell}`)
        .join(', ');
    return waitUntil(
      () => holds(row(symbol, timeframe), expected),
      () => `${symbol} ${timeframe} to show ${wanted} (shows ${shown()})`,
      timeoutMs,
    );
  };
  const restingOrders = () => alpaca.orders.filter((o) => o.type !== 'market' && OPEN.includes(String(o.status)));
  return {
    statusOf: (symbol, timeframe) => row(symbol, timeframe)['Order Status'],
    waitStatus: (symbol, timeframe, status, timeoutMs) => waitRow(symbol, timeframe, { 'Order Status': status }, timeoutMs),
    waitRow,
    orderLines: (withStatus = false) =>
      alpaca.orders.map((o) => `${o.side} ${o.qty ?? '$' + o.notional}${withStatus ? ` ${o.status}` : ''}`),
    brokerQty: (symbol) => Number(alpaca.positions().find((p) => p.symbol === symbol)?.qty ?? 0),
    restingOrders,
    waitResting: (count) =>
      waitUntil(
        () => restingOrders().length === count,
        () => `${count} resting orders (have ${restingOrders().length})`,
      ),
  };
}
