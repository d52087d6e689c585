/**
 * Return-series statistics, following empyrical's definitions (the ones
 * pyfolio and most quant tooling use), so our numbers can be checked against
 * theirs. Pure functions over plain arrays of simple daily returns.
 *
 * Where empyrical answers NaN or ±Infinity (too few points, zero variance, no
 * downside), these answer `null`: nothing here may leak a non-finite number
 * into a CSV, JSON file or message.
 */

/** Trading days in a year: the annualisation factor for daily returns. */
export const TRADING_DAYS = 252;

/** Options shared by the annualised ratios. */
export interface RatioOptions {
  /** Risk-free (or required) return per period; default 0. */
  riskFree?: number;
  /** Periods in a year; default 252 (daily). */
  periodsPerYear?: number;
}

/** `x` when it is a finite number, else null. */
export function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Arithmetic mean; null for an empty array. */
export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Standard deviation with `ddof` degrees of freedom removed (numpy's convention); null when n <= ddof. */
export function std(xs: readonly number[], ddof = 1): number | null {
  const m = mean(xs);
  if (m === null || xs.length <= ddof) return null;
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / (xs.length - ddof));
}

/** Compounded return over the whole series, `prod(1 + r) - 1`; null when empty. */
export function totalReturn(r: readonly number[]): number | null {
  if (r.length === 0) return null;
  let w = 1;
  for (const x of r) w *= 1 + x;
  return finiteOrNull(w - 1);
}

/** Compound annual growth rate, `prod(1 + r)^(periods / n) - 1`; null when empty. */
export function cagr(r: readonly number[], periodsPerYear = TRADING_DAYS): number | null {
  const t = totalReturn(r);
  if (t === null) return null;
  return finiteOrNull((1 + t) ** (periodsPerYear / r.length) - 1);
}

/** Annualised volatility, `std(r, ddof=1) * sqrt(periods)`; null below 2 points. */
export function annualVolatility(r: readonly number[], periodsPerYear = TRADING_DAYS): number | null {
  const s = std(r, 1);
  return s === null ? null : finiteOrNull(s * Math.sqrt(periodsPerYear));
}

/** Sharpe ratio, `mean(r - rf) / std(r - rf, ddof=1) * sqrt(periods)`; null below 2 points or with no variance. */
export function sharpe(r: readonly number[], opts: RatioOptions = {}): number | null {
  const ex = r.map((x) => x - (opts.riskFree ?? 0));
  const m = mean(ex);
  const s = std(ex, 1);
  if (m === null || s === null || s === 0) return null;
  return finiteOrNull((m / s) * Math.sqrt(opts.periodsPerYear ?? TRADING_DAYS));
}

/** Annualised downside deviation below `required`, averaged over all points; null when empty. */
export function downsideRisk(r: readonly number[], required = 0, periodsPerYear = TRADING_DAYS): number | null {
  const m = mean(r.map((x) => Math.min(x - required, 0) ** 2));
  return m === null ? null : finiteOrNull(Math.sqrt(m) * Math.sqrt(periodsPerYear));
}

/** Sortino ratio, annualised mean excess over downside risk; null below 2 points or with no downside. */
export function sortino(r: readonly number[], opts: RatioOptions = {}): number | null {
  if (r.length < 2) return null;
  const periods = opts.periodsPerYear ?? TRADING_DAYS;
  const required = opts.riskFree ?? 0;
  const dr = downsideRisk(r, required, periods);
  const m = mean(r.map((x) => x - required));
  if (dr === null || dr === 0 || m === null) return null;
  return finiteOrNull((m * periods) / dr);
}

/** Alpha and beta against a benchmark; each null when it can't be estimated. */
export interface AlphaBeta {
  alpha: number | null;
  beta: number | null;
}

/**
 * Beta `cov(r, b) / var(b)` and empyrical's geometric alpha
 * `(1 + mean(r - rf - beta * (b - rf)))^periods - 1`. The two series must
 * already be aligned by date. Null below 2 pairs or when the benchmark is flat.
 */
export function alphaBeta(r: readonly number[], b: readonly number[], opts: RatioOptions = {}): AlphaBeta {
  const none = { alpha: null, beta: null };
  if (r.length !== b.length) throw new RangeError('alphaBeta needs aligned series of equal length');
  if (r.length < 2) return none;
  const rf = opts.riskFree ?? 0;
  const re = r.map((x) => x - rf);
  const be = b.map((x) => x - rf);
  const bm = mean(be) as number;
  let cov = 0;
  let varB = 0;
  for (let i = 0; i < re.length; i++) {
    cov += (be[i] - bm) * re[i];
    varB += (be[i] - bm) ** 2;
  }
  if (varB === 0) return none;
  const beta = cov / varB;
  const dailyAlpha = mean(re.map((x, i) => x - beta * be[i])) as number;
  const alpha = (1 + dailyAlpha) ** (opts.periodsPerYear ?? TRADING_DAYS) - 1;
  return { alpha: finiteOrNull(alpha), beta: finiteOrNull(beta) };
}

/** The drawdown below the running peak of compounded wealth, for each point (0 at a new high, negative below). */
export function underwater(r: readonly number[]): number[] {
  const out: number[] = [];
  let wealth = 1;
  let peak = 1; // the prepended start value: a first-day loss is a drawdown
  for (const x of r) {
    wealth *= 1 + x;
    peak = Math.max(peak, wealth);
    out.push(wealth / peak - 1);
  }
  return out;
}

/** The deepest drawdown and when it happened; dates are null when there is none. */
export interface Drawdown {
  /** `min(wealth / running_max - 1)`, 0 or negative; null for an empty series. */
  maxDrawdown: number | null;
  /** Last date at the high before the trough. */
  peakDate: string | null;
  troughDate: string | null;
  /** First date back at the old high; null when not yet recovered. */
  recoveryDate: string | null;
}

/**
 * Max drawdown with its peak, trough and recovery dates. `dates[i]` is the
 * date of `r[i]`; `startDate` is the day before the first return (the
 * starting equity), which can be the peak.
 */
export function maxDrawdown(r: readonly number[], dates: readonly string[], startDate: string | null = null): Drawdown {
  if (r.length === 0) return { maxDrawdown: null, peakDate: null, troughDate: null, recoveryDate: null };
  const uw = underwater(r);
  let trough = 0;
  for (let i = 1; i < uw.length; i++) if (uw[i] < uw[trough]) trough = i;
  if (uw[trough] >= 0) return { maxDrawdown: 0, peakDate: null, troughDate: null, recoveryDate: null };
  let peak = trough - 1;
  while (peak >= 0 && uw[peak] < 0) peak--;
  let recovery = trough + 1;
  while (recovery < uw.length && uw[recovery] < 0) recovery++;
  return {
    maxDrawdown: uw[trough],
    peakDate: peak >= 0 ? dates[peak] : startDate,
    troughDate: dates[trough],
    recoveryDate: recovery < uw.length ? dates[recovery] : null,
  };
}
