/**
 * Settings of the analytics reports, parsed once with the rest. Today that is
 * the risk-free rate that Sharpe, Sortino and alpha are measured over.
 */
import { type Env, optional, problem } from './env';

/** What the analytics reports read from the environment. */
export interface AnalyticsSettings {
  /** Annual risk-free rate as a fraction (0.045 = 4.5%); 0 by default, as empyrical. */
  riskFreeRate: number;
}

/**
 * Parses RISK_FREE_RATE: a fraction (`0.045`) or a percentage (`4.5%`). A bare
 * number of 1 or more is refused, since "5" almost surely means 5% and would
 * otherwise be read as 500%.
 */
export function parseAnalyticsSettings(env: Env): AnalyticsSettings {
  const raw = optional(env, 'RISK_FREE_RATE');
  if (raw === undefined) return { riskFreeRate: 0 };
  const percent = raw.endsWith('%');
  const n = Number(percent ? raw.slice(0, -1).trim() : raw);
  const rate = percent ? n / 100 : n;
  if (!Number.isFinite(rate) || rate <= -1 || rate >= 1) {
    return problem(
      env,
      `RISK_FREE_RATE="${raw}" is not an annual rate. Write a fraction like 0.045 or a percentage like 4.5% (between -100% and 100%).`,
      { riskFreeRate: 0 },
    );
  }
  return { riskFreeRate: rate };
}
