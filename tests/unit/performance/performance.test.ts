import type { RoundTrip } from '../../../src/domain/performance/fifo';
import { formatMoney, formatPercent, formatQty, roundCents } from '../../../src/domain/performance/money';
import {
  buildPerformanceRows,
  formatLastUpdated,
  isValidTimezone,
  PERFORMANCE_COLUMNS,
  renderPerformanceTable,
} from '../../../src/domain/performance/performance';
import type { Position } from '../../../src/domain/types';

function trip(symbol: string, pnl: number): RoundTrip {
  return {
    symbol,
    direction: 'long',
    qty: 1,
    entryPrice: 100,
    exitPrice: 100 + pnl,
    entryTime: '2025-10-01T14:00:00Z',
    exitTime: '2025-10-02T14:00:00Z',
    pnl,
  };
}

function position(symbol: string, qty: number, unrealizedPl: number): Position {
  return { symbol, qty, side: qty > 0 ? 'long' : 'short', avgEntryPrice: 100, marketValue: 0, unrealizedPl };
}

describe('money and number formatting', () => {
  it('when amounts are formatted, then they show a $, cents and thousands separators, minus before the $', () => {
    expect(formatMoney(250.5)).toBe('$250.50');
    expect(formatMoney(-12)).toBe('-$12.00');
    expect(formatMoney(1250.5)).toBe('$1,250.50');
    expect(formatMoney(-1234567.891)).toBe('-$1,234,567.89');
    expect(formatMoney(999.999)).toBe('$1,000.00');
    expect(formatMoney(0)).toBe('$0.00');
  });

  it('when an amount is under half a cent or sits on a half cent, then it rounds like a trader expects', () => {
    expect(formatMoney(-0.004)).toBe('$0.00');
    expect(formatMoney(1.005)).toBe('$1.01');
    expect(formatMoney(-1.005)).toBe('-$1.01');
    expect(roundCents(0.1 + 0.2)).toBe(0.3);
  });

  it('when a fraction is formatted as a percentage, then it has one decimal', () => {
    expect(formatPercent(0.555)).toBe('55.5%');
    expect(formatPercent(2 / 3)).toBe('66.7%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
  });

  it('when a quantity is formatted, then it has no float noise and no exponent', () => {
    expect(formatQty(10)).toBe('10');
    expect(formatQty(-5)).toBe('-5');
    expect(formatQty(0.1 + 0.2)).toBe('0.3');
    expect(formatQty(1e-9)).toBe('0.000000001');
    expect(formatQty(-1e-12)).toBe('0');
  });

  it('when the refresh time is formatted, then it is local time with the zone abbreviation', () => {
    expect(formatLastUpdated(new Date('2025-10-11T05:30:05Z'), 'America/Los_Angeles')).toBe('2025-10-10 22:30:05 PDT');
    expect(formatLastUpdated(new Date('2025-01-11T05:30:05Z'), 'America/Los_Angeles')).toBe('2025-01-10 21:30:05 PST');
    expect(formatLastUpdated(new Date('2025-10-11T05:30:05Z'), 'America/New_York')).toBe('2025-10-11 01:30:05 EDT');
    expect(isValidTimezone('America/Los_Angeles')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });
});

describe('buildPerformanceRows', () => {
  const lastUpdated = '2025-10-10 22:30:05 PDT';
  const rows = buildPerformanceRows({
    roundTrips: [
      trip('AAPL', 50),
      trip('MSFT', -12),
      trip('AAPL', -20.5),
      trip('AAPL', 0.004), // breakeven: a trade, neither a win nor a loss
      trip('AAPL', NaN), // opened before the window at an unknown price: left out
    ],
    positions: [position('TSLA', 2.5, -3.25), position('MSFT', -5, 7.5)],
    symbols: ['NVDA', 'AAPL', 'MSFT'],
    lastUpdated,
  });

  it('when symbols have trades, positions or only fills, then each gets a row, sorted, TOTAL last', () => {
    expect(rows.map((r) => r.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA', 'TSLA', 'TOTAL']);
  });

  it('when round trips are counted, then wins, losses, rate, total, average and extremes are hand-checked', () => {
    // AAPL: 50 − 20.5 + 0.004 = 29.504 → $29.50; average 9.834666… → $9.83.
    expect(rows[0]).toEqual({
      symbol: 'AAPL',
      totalTrades: 3,
      winningTrades: 1,
      losingTrades: 1,
      winRate: 1 / 3,
      totalPnl: 29.5,
      avgPnlPerTrade: 9.83,
      bestTrade: 50,
      worstTrade: -20.5,
      openQty: 0,
      unrealizedPl: 0,
      lastUpdated,
    });
    expect(rows[1]).toMatchObject({
      symbol: 'MSFT',
      totalTrades: 1,
      losingTrades: 1,
      winRate: 0,
      totalPnl: -12,
      openQty: -5,
      unrealizedPl: 7.5,
    });
    expect(rows[3]).toMatchObject({ symbol: 'TSLA', totalTrades: 0, winRate: null, avgPnlPerTrade: null, bestTrade: null, openQty: 2.5 });
  });

  it('when the TOTAL row is built, then it sums the rows and averages over all trades', () => {
    // 29.50 − 12 = 17.50 over 4 trades → 4.375 → $4.38; unrealised 7.50 − 3.25 = 4.25.
    expect(rows[4]).toEqual({
      symbol: 'TOTAL',
      totalTrades: 4,
      winningTrades: 1,
      losingTrades: 2,
      winRate: 0.25,
      totalPnl: 17.5,
      avgPnlPerTrade: 4.38,
      bestTrade: 50,
      worstTrade: -20.5,
      openQty: null,
      unrealizedPl: 4.25,
      lastUpdated,
    });
  });

  it('when the table is rendered, then every cell is the documented text', () => {
    const table = renderPerformanceTable(rows);
    expect(table[0]).toEqual([...PERFORMANCE_COLUMNS]);
    expect(table[0].join(' | ')).toBe(
      'symbol | total_trades | winning_trades | losing_trades | win_rate | total_pnl | ' +
        'avg_pnl_per_trade | best_trade | worst_trade | open_qty | unrealized_pl | last_updated',
    );
    // Every row ends with the same last_updated stamp.
    const rowsBeforeStamp = [
      ['AAPL', '3', '1', '1', '33.3%', '$29.50', '$9.83', '$50.00', '-$20.50', '0', '$0.00'],
      ['MSFT', '1', '0', '1', '0.0%', '-$12.00', '-$12.00', '-$12.00', '-$12.00', '-5', '$7.50'],
      ['NVDA', '0', '0', '0', '', '$0.00', '', '', '', '0', '$0.00'],
      ['TSLA', '0', '0', '0', '', '$0.00', '', '', '', '2.5', '-$3.25'],
      ['TOTAL', '4', '1', '2', '25.0%', '$17.50', '$4.38', '$50.00', '-$20.50', '', '$4.25'],
    ];
    expect(table.slice(1)).toEqual(rowsBeforeStamp.map((r) => [...r, lastUpdated]));
  });

  it('when symbol totals round, then TOTAL adds up the displayed cents', () => {
    const [a, b, total] = buildPerformanceRows({
      roundTrips: [trip('A', 1.004), trip('B', 1.004)],
      positions: [],
      symbols: [],
      lastUpdated,
    });
    expect([a.totalPnl, b.totalPnl, total.totalPnl]).toEqual([1, 1, 2]);
  });

  it('when nothing was traded and nothing is held, then only an empty TOTAL row remains', () => {
    const table = renderPerformanceTable(buildPerformanceRows({ roundTrips: [], positions: [], symbols: [], lastUpdated }));
    expect(table.slice(1)).toEqual([['TOTAL', '0', '0', '0', '', '$0.00', '', '', '', '', '$0.00', lastUpdated]]);
  });
});
