/**
 * One set of return and risk figures for a daily-return series, so the
 * portfolio and its benchmark are measured by exactly the same rules and
 * can sit side by side in every table. Pure.
 */
import { annualVolatility, cagr, maxDrawdown, sharpe, sortino, totalReturn } from '../../src/domain/performance/metrics';
import {
  bestAndWorstDay,
  calmar,
  conditionalValueAtRisk,
  kurtosis,
  monthlyReturns,
  skew,
  valueAtRisk,
} from '../../src/domain/performance/tearsheet';

/** The figures of one series; each null when the series can't support it. */
export interface ReturnFigures {
  totalReturn: number | null;
  cagr: number | null;
  annualVolatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number | null;
  calmar: number | null;
  valueAtRisk: number | null;
  conditionalValueAtRisk: number | null;
  skew: number | null;
  kurtosis: number | null;
  bestDay: number | null;
  worstDay: number | null;
  /** `{"YYYY-MM": return}`, oldest first. */
  monthlyReturns: Record<string, number>;
}

/** The figures of `r` (dates[i] is the day of r[i]), with Sharpe and Sortino over the per-day risk-free rate. */
export function returnFigures(r: readonly number[], dates: readonly string[], riskFreeDaily: number): ReturnFigures {
  const c = cagr(r);
  const dd = maxDrawdown(r, dates).maxDrawdown;
  const { best, worst } = bestAndWorstDay(r);
  return {
    totalReturn: totalReturn(r),
    cagr: c,
    annualVolatility: annualVolatility(r),
    sharpe: sharpe(r, { riskFree: riskFreeDaily }),
    sortino: sortino(r, { riskFree: riskFreeDaily }),
    maxDrawdown: dd,
    calmar: calmar(c, dd),
    valueAtRisk: valueAtRisk(r),
    conditionalValueAtRisk: conditionalValueAtRisk(r),
    skew: skew(r),
    kurtosis: kurtosis(r),
    bestDay: best,
    worstDay: worst,
    monthlyReturns: monthlyReturns(r, dates),
  };
}

/** Why each figure of `f` that is null is null, keyed by its JSON name; `n` describes the window's returns. */
export function figureNotes(f: ReturnFigures, count: number, n: string): Record<string, string> {
  const notes: Record<string, string> = {};
  if (f.calmar === null) {
    notes.calmar =
      count === 0
        ? `no daily return: ${n}`
        : f.maxDrawdown === 0
          ? 'no drawdown in the window, so nothing to divide by'
          : 'needs CAGR and a drawdown';
  }
  if (f.valueAtRisk === null) notes.value_at_risk = `no daily return: ${n}`;
  if (f.conditionalValueAtRisk === null) notes.conditional_value_at_risk = `no daily return: ${n}`;
  if (f.skew === null) notes.skew = count < 3 ? `needs at least 3 daily returns; ${n}` : 'returns have no variance';
  if (f.kurtosis === null) notes.kurtosis = count < 4 ? `needs at least 4 daily returns; ${n}` : 'returns have no variance';
  if (f.bestDay === null) notes.best_day = `no daily return: ${n}`;
  if (f.worstDay === null) notes.worst_day = `no daily return: ${n}`;
  return notes;
}
