/**
 * The tearsheet figures beyond empyrical's core: tail risk (VaR, CVaR, skew,
 * kurtosis), Calmar, the monthly table, the worst drawdowns and the rolling
 * view. Definitions follow numpy, pandas and quantstats, so the numbers can
 * be checked against them. Pure functions over plain arrays of simple daily
 * returns; anything undefined is `null`, never NaN.
 */
import { alphaBeta, finiteOrNull, mean, sharpe, TRADING_DAYS, underwater } from './metrics';

/** Fewer trading days than this and annualised figures mostly reflect luck: the window is "short". */
export const SHORT_WINDOW_DAYS = 60;

/** The window of the rolling Sharpe and beta: half a year of trading days. */
export const ROLLING_DAYS = 126;

/** An annual risk-free rate as a per-day rate: `(1 + rf)^(1/252) - 1`. */
export function dailyRiskFree(annualRate: number, periodsPerYear = TRADING_DAYS): number {
  return (1 + annualRate) ** (1 / periodsPerYear) - 1;
}

/** The `q`-th percentile (0..100) with linear interpolation between closest ranks, as numpy's default; null when empty. */
export function percentile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Historical value at risk: the 5th percentile of daily returns (a loss is negative); null when empty. */
export function valueAtRisk(r: readonly number[], q = 5): number | null {
  return percentile(r, q);
}

/** Conditional VaR (expected shortfall): the mean of the daily returns at or below the VaR; null when empty. */
export function conditionalValueAtRisk(r: readonly number[], q = 5): number | null {
  const v = valueAtRisk(r, q);
  if (v === null) return null;
  return mean(r.filter((x) => x <= v));
}

/** Central moments m2, m3, m4 (divided by n). */
function moments(r: readonly number[]): { m2: number; m3: number; m4: number } {
  const m = mean(r) as number;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of r) {
    const d = x - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  return { m2: m2 / r.length, m3: m3 / r.length, m4: m4 / r.length };
}

/** Bias-corrected sample skewness, as pandas `Series.skew()`; null below 3 points or with no variance. */
export function skew(r: readonly number[]): number | null {
  const n = r.length;
  if (n < 3) return null;
  const { m2, m3 } = moments(r);
  if (m2 === 0) return null;
  return finiteOrNull((Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / m2 ** 1.5));
}

/** Bias-corrected excess kurtosis, as pandas `Series.kurt()`; null below 4 points or with no variance. */
export function kurtosis(r: readonly number[]): number | null {
  const n = r.length;
  if (n < 4) return null;
  const { m2, m4 } = moments(r);
  if (m2 === 0) return null;
  return finiteOrNull(((n - 1) / ((n - 2) * (n - 3))) * ((n + 1) * (m4 / (m2 * m2)) - 3 * (n - 1)));
}

/** Calmar ratio, `cagr / abs(max_drawdown)`; null when either is missing or there was no drawdown. */
export function calmar(cagrValue: number | null, maxDrawdownValue: number | null): number | null {
  if (cagrValue === null || maxDrawdownValue === null || maxDrawdownValue === 0) return null;
  return finiteOrNull(cagrValue / Math.abs(maxDrawdownValue));
}

/** The highest and lowest daily return; nulls when empty. */
export function bestAndWorstDay(r: readonly number[]): { best: number | null; worst: number | null } {
  if (r.length === 0) return { best: null, worst: null };
  return { best: Math.max(...r), worst: Math.min(...r) };
}

/**
 * Daily returns compounded within each calendar month: `{"YYYY-MM": return}`,
 * oldest first. `dates[i]` (`YYYY-MM-DD`, a New York market date) is the day of `r[i]`.
 */
export function monthlyReturns(r: readonly number[], dates: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const wealth = new Map<string, number>();
  r.forEach((x, i) => {
    const month = dates[i].slice(0, 7);
    wealth.set(month, (wealth.get(month) ?? 1) * (1 + x));
  });
  for (const month of [...wealth.keys()].sort()) out[month] = (wealth.get(month) as number) - 1;
  return out;
}

/** One drawdown period, from the last day at the high to the first day back at it. */
export interface DrawdownPeriod {
  /** Last date at the high before the fall (the window's start when it began on day one). */
  start: string;
  /** Date of the lowest point. */
  trough: string;
  /** First date back at the old high; null when not recovered by the window's end. */
  end: string | null;
  /** Depth at the trough, negative. */
  depth: number;
  /** Calendar days from `start` to `end`, or to the window's end when not recovered. */
  days: number;
}

/** Calendar days between two `YYYY-MM-DD` dates. */
function calendarDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The `n` worst drawdown periods, worst first (quantstats' drawdown details).
 * `dates[i]` is the date of `r[i]`; `startDate` is the day before the first
 * return (the starting equity, which can be the high). The first period's
 * depth equals `maxDrawdown(r)`.
 */
export function worstDrawdowns(r: readonly number[], dates: readonly string[], startDate: string | null, n = 5): DrawdownPeriod[] {
  const uw = underwater(r);
  const windowEnd = dates.at(-1);
  const periods: DrawdownPeriod[] = [];
  let open: { start: string; troughAt: number } | null = null;
  uw.forEach((d, i) => {
    if (d < 0 && open === null) open = { start: i > 0 ? dates[i - 1] : (startDate ?? dates[0]), troughAt: i };
    if (open === null) return;
    if (d < 0) {
      if (d < uw[open.troughAt]) open.troughAt = i;
      return;
    }
    periods.push({
      start: open.start,
      trough: dates[open.troughAt],
      end: dates[i],
      depth: uw[open.troughAt],
      days: calendarDays(open.start, dates[i]),
    });
    open = null;
  });
  const last = open as { start: string; troughAt: number } | null;
  if (last !== null && windowEnd !== undefined) {
    periods.push({
      start: last.start,
      trough: dates[last.troughAt],
      end: null,
      depth: uw[last.troughAt],
      days: calendarDays(last.start, windowEnd),
    });
  }
  // A stable sort keeps the earlier of two equal depths first, as maxDrawdown picks the first trough.
  return periods.sort((a, b) => a.depth - b.depth).slice(0, n);
}

/** One point of the rolling view: the figures over the `ROLLING_DAYS` days ending on `date`. */
export interface RollingPoint {
  date: string;
  sharpe: number | null;
  beta: number | null;
}

/**
 * Rolling Sharpe (with the per-day risk-free rate) and rolling beta against
 * the benchmark, over `window` days, one point per day from the window-th
 * on. `bench[i]` is null where the benchmark has no return; beta then uses
 * the pairs that have one, and is null below 2 pairs.
 */
export function rollingSharpeBeta(
  r: readonly number[],
  bench: readonly (number | null)[],
  dates: readonly string[],
  opts: { window?: number; riskFree?: number } = {},
): RollingPoint[] {
  const w = opts.window ?? ROLLING_DAYS;
  const out: RollingPoint[] = [];
  for (let end = w; end <= r.length; end++) {
    const slice = r.slice(end - w, end);
    const pr: number[] = [];
    const pb: number[] = [];
    for (let i = end - w; i < end; i++) {
      const b = bench[i];
      if (b !== null && b !== undefined) {
        pr.push(r[i]);
        pb.push(b);
      }
    }
    out.push({
      date: dates[end - 1],
      sharpe: sharpe(slice, { riskFree: opts.riskFree }),
      beta: alphaBeta(pr, pb, { riskFree: opts.riskFree }).beta,
    });
  }
  return out;
}
