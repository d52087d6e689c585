/**
 * Reference values transcribed from empyrical's published test vectors
 * (quantopian/empyrical, empyrical/tests/test_stats.py). empyrical drops NaN
 * points from means and deviations, so `mixed` here is its `mixed_returns`
 * without the leading NaN; its CAGR counts that NaN day as a period, so the
 * CAGR case passes it as a 0 return (the same compounded wealth).
 */
import {
  alphaBeta,
  annualVolatility,
  cagr,
  downsideRisk,
  maxDrawdown,
  sharpe,
  sortino,
  totalReturn,
  underwater,
} from '../../../src/domain/performance/metrics';

const pct = (xs: number[]) => xs.map((x) => x / 100);
const mixed = pct([1, 10, -4, 2, 3, 2, 1, -10]);
const mixedWithNanDay = [0, ...mixed];
const positive = pct([1, 2, 1, 1, 1, 1, 1, 1, 1]);
const negative = pct([0, -6, -7, -1, -9, -2, -6, -8, -5]);
const simpleBenchmark = pct([0, 1, 0, 1, 0, 1, 0, 1, 0]);
const weekly = pct([0, 1, 10, -4, 2, 3, 2, 1, -10]);
const one = [-0.00171614, 0.01322056, 0.03063862, -0.01422057, -0.00489779, 0.01268925, -0.03357711, 0.01797036];
const two = [0.01846232, 0.00793951, -0.01448395, 0.00422537, -0.00339611, 0.03756813, 0.0151531, 0.03549769];
const flat1 = Array.from({ length: 1000 }, () => 0.01);
const days = (n: number) => Array.from({ length: n }, (_, i) => `2024-01-${String(i + 2).padStart(2, '0')}`);

const DECIMALS = 8;

describe('empyrical reference vectors', () => {
  it('when computing Sharpe, then it matches empyrical for mixed, positive and negative returns', () => {
    expect(sharpe(mixed)).toBeCloseTo(1.7238613961706866, DECIMALS);
    expect(sharpe(positive)).toBeCloseTo(52.915026221291804, DECIMALS);
    expect(sharpe(negative)).toBeCloseTo(-24.406808633910085, DECIMALS);
  });

  it('when computing downside risk, then it matches empyrical at required returns 0 and 0.1', () => {
    expect(downsideRisk(mixed, 0)).toBeCloseTo(0.60448325038829653, DECIMALS);
    expect(downsideRisk(mixed, 0.1)).toBeCloseTo(1.7161730681956295, DECIMALS);
    expect(downsideRisk(weekly, 0, 52)).toBeCloseTo(0.25888650451930134, DECIMALS);
    expect(downsideRisk(weekly, 0.1, 52)).toBeCloseTo(0.7733045971672482, DECIMALS);
    expect(downsideRisk(weekly, 0, 12)).toBeCloseTo(0.1243650540411842, DECIMALS);
    expect(downsideRisk(weekly, 0.1, 12)).toBeCloseTo(0.37148351242013422, DECIMALS);
    expect(downsideRisk(one)).toBeCloseTo(0.20671788246185202, DECIMALS);
    expect(downsideRisk(two)).toBeCloseTo(0.083495680595704475, DECIMALS);
  });

  it('when computing Sortino, then it matches empyrical, including a required return', () => {
    expect(sortino(mixed)).toBeCloseTo(2.605531251673693, DECIMALS);
    expect(sortino(mixed, { riskFree: 0.01 })).toBeCloseTo(-1.3934779588919977, DECIMALS);
    expect(sortino(negative)).toBeCloseTo(-13.532743075043401, DECIMALS);
    // empyrical's weekly and monthly Sortino vectors (0.5069…, 0.1169…) divide by a
    // daily-annualised downside risk, a quirk of that version; we only use daily data.
    expect(sortino(one)).toBeCloseTo(3.0639640966566306, DECIMALS);
    expect(sortino(two)).toBeCloseTo(38.090963117002495, DECIMALS);
  });

  it('when computing annual volatility, then it matches empyrical for daily, weekly and monthly periods', () => {
    expect(annualVolatility(mixed)).toBeCloseTo(0.9136465399704637, DECIMALS);
    expect(annualVolatility(weekly, 52)).toBeCloseTo(0.38851569394870583, DECIMALS);
    expect(annualVolatility(weekly, 12)).toBeCloseTo(0.18663690238892558, DECIMALS);
    expect(annualVolatility(flat1)).toBeCloseTo(0, DECIMALS);
  });

  it('when computing CAGR, then it matches empyrical', () => {
    expect(cagr(mixedWithNanDay)).toBeCloseTo(1.9135925373194231, DECIMALS);
    expect(cagr([0.01])).toBeCloseTo(11.274002099240244, DECIMALS);
    expect(cagr(flat1)).toBeCloseTo(11.274002099240256, DECIMALS);
    expect(cagr(weekly, 52)).toBeCloseTo(0.24690830513998208, DECIMALS);
    expect(cagr(weekly, 12)).toBeCloseTo(0.052242061386048144, DECIMALS);
    expect(cagr([0.03, 0.03, 0.03], 1)).toBeCloseTo(0.03, DECIMALS);
  });

  it('when compounding, then the final cumulative return matches empyrical', () => {
    expect(totalReturn(mixed)).toBeCloseTo(0.03893, 4);
    expect(totalReturn(negative)).toBeCloseTo(-0.3659, 4);
    expect(totalReturn([0.01])).toBeCloseTo(0.01, DECIMALS);
  });

  it('when computing max drawdown, then it matches empyrical', () => {
    expect(maxDrawdown(mixed, days(8)).maxDrawdown).toBeCloseTo(-0.1, DECIMALS);
    expect(maxDrawdown(negative, days(9)).maxDrawdown).toBeCloseTo(-0.36590730349873601, DECIMALS);
    expect(maxDrawdown(pct([10, -10, 10]), days(3)).maxDrawdown).toBeCloseTo(-0.1, DECIMALS);
    expect(maxDrawdown(positive, days(9)).maxDrawdown).toBe(0);
    expect(maxDrawdown(simpleBenchmark, days(9)).maxDrawdown).toBe(0);
    expect(maxDrawdown([0.01], days(1)).maxDrawdown).toBe(0);
  });

  it('when computing alpha and beta, then they match empyrical (geometric alpha)', () => {
    const ab = alphaBeta(mixed, negative.slice(1));
    expect(ab.alpha).toBeCloseTo(-0.9997853834885004, DECIMALS);
    expect(ab.beta).toBeCloseTo(-0.71296296296296313, DECIMALS);
    expect(alphaBeta(mixed, mixed).alpha).toBeCloseTo(0, DECIMALS);
    expect(alphaBeta(mixed, mixed).beta).toBeCloseTo(1, DECIMALS);
    expect(
      alphaBeta(
        mixed,
        mixed.map((x) => -x),
      ).beta,
    ).toBeCloseTo(-1, DECIMALS);
  });
});

describe('edge cases', () => {
  it('when the series is flat at zero, then the ratios are null, volatility and drawdown 0, never NaN', () => {
    const flat = Array.from({ length: 20 }, () => 0);
    expect(sharpe(flat)).toBeNull();
    expect(sortino(flat)).toBeNull();
    expect(annualVolatility(flat)).toBe(0);
    expect(cagr(flat)).toBe(0);
    expect(maxDrawdown(flat, days(20))).toEqual({ maxDrawdown: 0, peakDate: null, troughDate: null, recoveryDate: null });
    expect(alphaBeta(flat, flat)).toEqual({ alpha: null, beta: null });
  });

  it('when there is a single day, then Sharpe, Sortino, volatility and beta are null, as empyrical says NaN', () => {
    expect(sharpe([0.01])).toBeNull();
    expect(sortino([0.01])).toBeNull();
    expect(annualVolatility([0.01])).toBeNull();
    expect(alphaBeta([0.01], [0.02])).toEqual({ alpha: null, beta: null });
  });

  it('when there is no data, then every metric is null', () => {
    expect([sharpe([]), sortino([]), cagr([]), totalReturn([]), annualVolatility([]), downsideRisk([])]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(maxDrawdown([], []).maxDrawdown).toBeNull();
  });

  it('when every return is positive, then Sortino is null where empyrical gives Infinity', () => {
    expect(sortino(positive)).toBeNull();
    expect(sortino(simpleBenchmark)).toBeNull();
  });

  it('when the benchmark is flat, then beta and alpha are null', () => {
    expect(
      alphaBeta(
        mixed,
        Array.from({ length: 8 }, () => 0.01),
      ),
    ).toEqual({ alpha: null, beta: null });
  });

  it('when the first day loses, then it counts as a drawdown from the starting value', () => {
    const dd = maxDrawdown([-0.05, 0.02, 0.04], ['2024-01-02', '2024-01-03', '2024-01-04'], '2024-01-01');
    expect(dd.maxDrawdown).toBeCloseTo(-0.05, 10);
    expect(dd).toMatchObject({ peakDate: '2024-01-01', troughDate: '2024-01-02', recoveryDate: '2024-01-04' });
  });

  it('when a drawdown has not recovered, then the recovery date is null and the peak is the last high', () => {
    const dd = maxDrawdown([0.1, 0.05, -0.2, 0.1], ['d1', 'd2', 'd3', 'd4'], 'd0');
    expect(dd).toMatchObject({ peakDate: 'd2', troughDate: 'd3', recoveryDate: null });
    expect(dd.maxDrawdown).toBeCloseTo(-0.2, 10);
    expect(underwater([0.1, 0.05, -0.2, 0.1])[3]).toBeCloseTo(0.8 * 1.1 - 1, 10);
  });
});
