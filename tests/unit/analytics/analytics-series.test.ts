import { buildEquityRows, marketDate } from '../../../analytics/model/series';
import type { Bar, PortfolioHistory } from '../../../src/domain/types';

/** Midnight New York of a date, as Alpaca stamps daily points (EST, so UTC-5). */
const ts = (date: string) => Date.parse(`${date}T05:00:00Z`) / 1000;
const bar = (date: string, c: number): Bar => ({ t: `${date}T05:00:00Z`, o: c, h: c, l: c, c, v: 1 });
const history = (rows: [string, number | null, number | null][]): PortfolioHistory => ({
  timestamp: rows.map(([d]) => ts(d)),
  equity: rows.map(([, e]) => e),
  profitLoss: rows.map(([, , pl]) => pl),
  baseValue: 10_000,
});

describe('buildEquityRows', () => {
  it('when a deposit lands, then the equity jump is not a return: the day return is profit_loss over the prior equity', () => {
    const rows = buildEquityRows(
      history([
        ['2024-01-02', 10_000, 0],
        ['2024-01-03', 15_100, 100], // +5,000 deposit, +100 profit
        ['2024-01-04', 14_949, -151],
      ]),
      [],
    );
    expect(rows.map((r) => r.dailyReturn)).toEqual([null, 100 / 10_000, -151 / 15_100]);
  });

  it('when the account did not exist yet (zero equity), then those days and the day after have no return', () => {
    const rows = buildEquityRows(
      history([
        ['2024-01-02', 0, 0],
        ['2024-01-03', 10_000, 0],
        ['2024-01-04', 10_100, 100],
      ]),
      [],
    );
    expect(rows.map((r) => r.dailyReturn)).toEqual([null, null, 0.01]);
    expect(rows[0].equity).toBeNull();
  });

  it('when the benchmark misses a day, then its next return chains from the last close so the total still compounds', () => {
    const rows = buildEquityRows(
      history([
        ['2024-01-02', 100, 0],
        ['2024-01-03', 100, 0],
        ['2024-01-04', 100, 0],
      ]),
      [bar('2024-01-02', 400), bar('2024-01-04', 420)],
    );
    expect(rows.map((r) => r.benchmarkClose)).toEqual([400, null, 420]);
    expect(rows.map((r) => r.benchmarkReturn)).toEqual([null, null, 420 / 400 - 1]);
  });

  it('when equity falls and recovers, then the drawdown column is the underwater curve, 0 on the first day', () => {
    const rows = buildEquityRows(
      history([
        ['2024-01-02', 100, 0],
        ['2024-01-03', 90, -10],
        ['2024-01-04', 99, 9],
        ['2024-01-05', 101, 2],
      ]),
      [],
    );
    const dd = rows.map((r) => r.drawdown);
    expect(dd[0]).toBe(0);
    expect(dd[1]).toBeCloseTo(-0.1, 12);
    expect(dd[2]).toBeCloseTo(-0.01, 12);
    expect(dd[3]).toBe(0);
  });
});

describe('marketDate', () => {
  it('when a daily stamp is midnight, the open or the close in New York, then it is that trading day', () => {
    expect(marketDate(ts('2024-01-02'))).toBe('2024-01-02');
    expect(marketDate('2024-07-01T04:00:00Z')).toBe('2024-07-01');
    expect(marketDate('2024-01-02T14:30:00Z')).toBe('2024-01-02');
    expect(marketDate('2024-01-02T21:00:00Z')).toBe('2024-01-02');
  });

  it('when a feed stamps 04:00 UTC in winter (23:00 the evening before in New York), then it is still the intended day', () => {
    expect(marketDate('2024-01-02T04:00:00Z')).toBe('2024-01-02');
  });
});
