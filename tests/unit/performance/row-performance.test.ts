import { rowPerformance } from '../../../src/domain/performance/row-performance';

const change = (id: number, timeframe: string, qty: number, price: number | undefined, at: number, ref?: string) => ({
  id,
  ref,
  symbol: 'AAPL',
  timeframe,
  qty,
  price,
  at,
});

describe('rowPerformance', () => {
  it('when two rows trade one symbol, then each row has its own round trips, open quantity and unrealised P&L', () => {
    const result = rowPerformance(
      [
        change(1, '15m', 50, 100, 10, 'tb-a-open'),
        change(2, '30m', -27, 110, 20, 'tb-b-open'),
        change(3, '15m', -23, 110, 30, 'tb-c-close'),
        change(4, '15m', -27, 110, 30, 'tb-c-open'), // the second leg of the same signal: one trade
      ],
      0,
      () => 100,
    );
    expect(result.roundTrips).toEqual([expect.objectContaining({ symbol: 'AAPL 15m', qty: 50, pnl: 500 })]);
    expect(result.positions).toEqual([expect.objectContaining({ symbol: 'AAPL 30m', qty: -27, unrealizedPl: 270 })]);
    expect(result.labels).toEqual(['AAPL 15m', 'AAPL 30m']);
  });

  it('when a change has no price, then its round trip is unpriced (left out of the stats), not guessed', () => {
    const result = rowPerformance([change(1, '15m', 10, 100, 10), change(2, '15m', -10, undefined, 20)], 0, () => undefined);
    expect(Number.isNaN(result.roundTrips[0].pnl)).toBe(true);
  });

  it('when a round trip closed before the window, then it is left out, while the row still counts what it holds', () => {
    const result = rowPerformance(
      [change(1, '15m', 10, 100, 10), change(2, '15m', -10, 120, 20), change(3, '15m', 5, 90, 30)],
      25,
      () => 100,
    );
    expect(result.roundTrips).toEqual([]);
    expect(result.positions).toEqual([expect.objectContaining({ symbol: 'AAPL 15m', qty: 5, unrealizedPl: 50 })]);
  });
});
