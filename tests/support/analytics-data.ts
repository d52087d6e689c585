/**
 * Plain-value inputs for the analytics use case's pure parts: a portfolio
 * history with per-day profit/loss, benchmark bars on the same dates, and
 * an account, built from a list of daily returns.
 */
import type { CollectedData } from '../../analytics/model/compute';
import type { Bar, Fill, Position } from '../../src/domain/types';
import type { StateStore } from '../../src/ports';

/** The tearsheet tests' fixed series: 20 daily returns (`R`) and its benchmark's (`B`), whose figures were worked out independently. */
export const TEARSHEET_SERIES = {
  R: [
    0.012, -0.008, 0.004, -0.021, -0.006, 0.015, 0.009, 0.011, -0.013, 0.002, 0.007, -0.004, -0.017, 0.02, 0.003, 0.018, -0.009, -0.002,
    0.006, 0.001,
  ],
  B: [
    0.005, -0.004, 0.002, -0.011, -0.001, 0.008, 0.004, 0.006, -0.007, 0.0, 0.003, -0.002, -0.009, 0.011, 0.001, 0.01, -0.006, 0.0, 0.004,
    -0.001,
  ],
};

/** Weekdays from `start` (YYYY-MM-DD), `n` of them. */
export function weekdays(n: number, start = '2024-01-02'): string[] {
  const out: string[] = [];
  const d = new Date(`${start}T12:00:00Z`);
  while (out.length < n) {
    if (d.getUTCDay() % 6 !== 0) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** Unix seconds within the New York day of `date` (Alpaca stamps midnight New York, 04:00 or 05:00 UTC). */
export const nyMidnight = (date: string) => Date.parse(`${date}T05:00:00Z`) / 1000;

/** Data for a run whose equity compounds `returns` from `start` equity; the benchmark compounds `bench`. */
export function collected(
  returns: number[],
  opts: { bench?: number[]; start?: number; fills?: Fill[]; positions?: Position[]; mode?: CollectedData['mode'] } = {},
): CollectedData {
  const dates = weekdays(returns.length + 1);
  const equity = [opts.start ?? 100_000];
  const pl = [0];
  for (const r of returns) {
    pl.push(equity[equity.length - 1] * r);
    equity.push(equity[equity.length - 1] * (1 + r));
  }
  let close = 400;
  const bars: Bar[] = opts.bench
    ? dates.map((d, i) => {
        if (i > 0) close *= 1 + (opts.bench as number[])[i - 1];
        return { t: `${d}T05:00:00Z`, o: close, h: close, l: close, c: close, v: 1 };
      })
    : [];
  const last = equity[equity.length - 1];
  return {
    mode: opts.mode ?? 'paper',
    start: new Date(`${dates[0]}T05:00:00Z`),
    end: new Date(`${dates[dates.length - 1]}T21:00:00Z`),
    account: {
      equity: last,
      lastEquity: equity[equity.length - 2] ?? last,
      cash: last,
      buyingPower: last,
      shortingEnabled: true,
      status: 'ACTIVE',
    },
    positions: opts.positions ?? [],
    fills: opts.fills ?? [],
    history: { timestamp: dates.map(nyMidnight), equity, profitLoss: pl, baseValue: equity[0] },
    benchmarkSymbol: 'SPY',
    benchmark: bars,
  };
}

/** A StateStore in memory, as the journal's state table behaves. */
export function memoryStateStore(): StateStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v) };
}
