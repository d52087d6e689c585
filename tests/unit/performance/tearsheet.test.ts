/**
 * The tearsheet figures against values worked out independently (numpy's
 * percentile, pandas' skew/kurt formulas, a separate drawdown walk) for one
 * fixed series of 20 daily returns, written here as literals.
 */
import { alphaBeta, cagr, maxDrawdown, sharpe, sortino } from '../../../src/domain/performance/metrics';
import {
  bestAndWorstDay,
  calmar,
  conditionalValueAtRisk,
  dailyRiskFree,
  kurtosis,
  monthlyReturns,
  percentile,
  rollingSharpeBeta,
  skew,
  valueAtRisk,
  worstDrawdowns,
} from '../../../src/domain/performance/tearsheet';
import { TEARSHEET_SERIES, weekdays } from '../../support/analytics-data';

const { R, B } = TEARSHEET_SERIES;
const DATES = weekdays(20, '2024-01-24'); // 2024-01-24 .. 2024-02-20
const START = '2024-01-23';

describe('tail risk', () => {
  it("when the series is fixed, then VaR is numpy's linear 5th percentile and CVaR the mean at or below it", () => {
    expect(valueAtRisk(R)).toBeCloseTo(-0.0172, 14);
    expect(conditionalValueAtRisk(R)).toBeCloseTo(-0.021, 14);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
  });

  it("when the series is fixed, then skew and kurtosis are pandas' bias-corrected values", () => {
    expect(skew(R)).toBeCloseTo(-0.2633540032987989, 12);
    expect(kurtosis(R)).toBeCloseTo(-0.5975031576539025, 12);
  });

  it('when there are too few points or no variance, then skew and kurtosis are null, not NaN', () => {
    expect(skew([0.01, 0.02])).toBeNull();
    expect(kurtosis([0.01, 0.02, 0.03])).toBeNull();
    expect(skew([0.01, 0.01, 0.01])).toBeNull();
    expect(valueAtRisk([])).toBeNull();
    expect(conditionalValueAtRisk([])).toBeNull();
  });

  it('when the series is fixed, then best and worst day are its extremes', () => {
    expect(bestAndWorstDay(R)).toEqual({ best: 0.02, worst: -0.021 });
    expect(bestAndWorstDay([])).toEqual({ best: null, worst: null });
  });
});

describe('Calmar, monthly returns and drawdowns', () => {
  it('when the series is fixed, then Calmar is CAGR over the absolute max drawdown', () => {
    const dd = maxDrawdown(R, DATES, START).maxDrawdown;
    expect(dd).toBeCloseTo(-0.030797644032000138, 14);
    expect(calmar(cagr(R), dd)).toBeCloseTo(13.012032266376542, 10);
    expect(calmar(0.1, 0)).toBeNull();
    expect(calmar(null, -0.1)).toBeNull();
  });

  it('when returns span two months, then each month compounds its own days', () => {
    const m = monthlyReturns(R, DATES);
    expect(Object.keys(m)).toEqual(['2024-01', '2024-02']);
    expect(m['2024-01']).toBeCloseTo(-0.004454723996790033, 14);
    expect(m['2024-02']).toBeCloseTo(0.03170291971065797, 14);
  });

  it('when the series has three falls, then the drawdowns are listed worst first with start, trough, recovery and calendar days', () => {
    const dds = worstDrawdowns(R, DATES, START);
    expect(dds).toEqual([
      { start: '2024-01-24', trough: '2024-01-30', end: '2024-02-02', depth: expect.closeTo(-0.030797644032000138, 14), days: 9 },
      { start: '2024-02-02', trough: '2024-02-09', end: '2024-02-14', depth: expect.closeTo(-0.024949294194376193, 14), days: 12 },
      { start: '2024-02-14', trough: '2024-02-16', end: null, depth: expect.closeTo(-0.010981999999999936, 14), days: 6 },
    ]);
    expect(dds[0].depth).toBe(maxDrawdown(R, DATES, START).maxDrawdown);
  });

  it("when the very first day loses, then the drawdown starts at the window's start date", () => {
    expect(worstDrawdowns([-0.01, 0.02], ['2024-01-03', '2024-01-04'], '2024-01-02')).toEqual([
      { start: '2024-01-02', trough: '2024-01-03', end: '2024-01-04', depth: expect.closeTo(-0.01, 14), days: 2 },
    ]);
  });

  it('when there are more than five falls, then only the five worst are kept', () => {
    const r = [-0.01, 0.02, -0.03, 0.04, -0.005, 0.01, -0.02, 0.03, -0.04, 0.05, -0.015, 0.02];
    const dds = worstDrawdowns(r, weekdays(12, '2024-03-04'), '2024-03-01');
    expect(dds.map((d) => d.depth)).toEqual([-0.04, -0.03, -0.02, -0.015, -0.01].map((x) => expect.closeTo(x, 12)));
  });

  it('when nothing ever falls, then there is no drawdown', () => {
    expect(worstDrawdowns([0.01, 0, 0.02], weekdays(3), null)).toEqual([]);
  });
});

describe('risk-free rate', () => {
  const rf = dailyRiskFree(0.05);

  it('when the annual rate is 5%, then the daily rate is (1.05)^(1/252) - 1', () => {
    expect(rf).toBeCloseTo(0.00019363050654397362, 16);
    expect(dailyRiskFree(0)).toBe(0);
  });

  it('when the risk-free rate is 5%, then Sharpe, Sortino and alpha are measured over it', () => {
    expect(sharpe(R, { riskFree: rf })).toBeCloseTo(1.6793399547275802, 10);
    expect(sortino(R, { riskFree: rf })).toBeCloseTo(2.5463048769176213, 10);
    const ab = alphaBeta(R, B, { riskFree: rf });
    expect(ab.beta).toBeCloseTo(1.868168363295069, 10);
    expect(ab.alpha).toBeCloseTo(0.09323417068953543, 10);
  });
});

describe('rolling Sharpe and beta', () => {
  it('when the window is 5 days, then each point covers the 5 days ending on its date', () => {
    const points = rollingSharpeBeta(R, B, DATES, { window: 5 });
    expect(points).toHaveLength(16);
    expect(points[0]).toEqual({
      date: '2024-01-30',
      sharpe: expect.closeTo(-4.811246366904675, 10),
      beta: expect.closeTo(2.0079575596816976, 10),
    });
    expect(points[1]).toEqual({
      date: '2024-01-31',
      sharpe: expect.closeTo(-3.7582094048941026, 10),
      beta: expect.closeTo(1.9004024144869214, 10),
    });
    expect(points[15]).toEqual({
      date: '2024-02-20',
      sharpe: expect.closeTo(4.407555861536683, 10),
      beta: expect.closeTo(1.6578212290502794, 10),
    });
  });

  it('when the series is shorter than the window, then there is no point at all', () => {
    expect(rollingSharpeBeta(R, B, DATES)).toEqual([]);
  });

  it('when the benchmark has no returns, then beta is null but Sharpe is still drawn', () => {
    const points = rollingSharpeBeta(
      R.slice(0, 5),
      R.slice(0, 5).map(() => null),
      DATES,
      { window: 5 },
    );
    expect(points).toEqual([{ date: '2024-01-30', sharpe: expect.closeTo(-4.811246366904675, 10), beta: null }]);
  });
});
