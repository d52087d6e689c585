/**
 * Bench (not a test): one analytics run over a year of daily history and
 * 10,000 fills, read through the real Alpaca adapter from the fake Alpaca
 * (in a worker thread, standing in for Alpaca's servers) with a per-request
 * latency like the real API's, charts and all files included. Prints the
 * wall time of each phase. Goal: under 2 s.
 *
 *   npm run build && node dist/bench/analytics.js [--fills 10000] [--days 252] [--latency-ms 40] [--keep] [--summary]
 *
 * `--keep` leaves the output folder in place (its path is printed); `--summary` prints the report's table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runAnalytics } from '../analytics/run-analytics';
import { summaryText } from '../analytics/report/summary';
import { createLogger } from '../src/logger';
import type { Clock, StateStore } from '../src/ports';
import type { FillInput } from '../tests/fakes/fake-alpaca';
import { brokerFor } from '../tests/support/alpaca-broker';
import { startRemoteFakeAlpaca } from './remote-fake-alpaca';

/** `n` weekdays from `start` (YYYY-MM-DD). */
function weekdays(n: number, start: string): string[] {
  const out: string[] = [];
  for (const d = new Date(`${start}T12:00:00Z`); out.length < n; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() % 6 !== 0) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** Symbols with a per-trade edge, so the P&L chart has winners and losers. */
const EDGE: Record<string, number> = { AAPL: 0.004, MSFT: 0.002, NVDA: 0.006, AMZN: -0.001, META: -0.003, TSLA: 0.0005 };

/** `n` fills in buy-then-sell pairs spread over `span` ms from `start`, each pair closing at its symbol's edge plus noise. */
function roundTripFills(n: number, start: number, span: number): FillInput[] {
  const symbols = Object.keys(EDGE);
  const step = Math.floor(span / n);
  return Array.from({ length: n }, (_, i) => {
    const k = Math.floor(i / 2);
    const symbol = symbols[k % symbols.length];
    const entry = 100 + (k % 23);
    const exit = Math.round(entry * (1 + EDGE[symbol] + 0.01 * Math.sin(k * 1.3)) * 100) / 100;
    return {
      symbol,
      side: i % 2 === 0 ? 'buy' : 'sell',
      qty: 1 + (k % 5),
      price: i % 2 === 0 ? entry : exit,
      time: new Date(start + 15 * 3_600_000 + i * step).toISOString(),
      orderId: `bench-${i}`,
    };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fills: { type: 'string', default: '10000' },
      days: { type: 'string', default: '252' },
      'latency-ms': { type: 'string', default: '40' },
      keep: { type: 'boolean' },
      summary: { type: 'boolean' },
    },
  });
  const nFills = Number(values.fills);
  const nDays = Number(values.days);
  const dir = mkdtempSync(join(tmpdir(), 'bench-analytics-'));
  let fake: Awaited<ReturnType<typeof startRemoteFakeAlpaca>> | undefined;
  try {
    // A year of weekdays: SPY drifting up, the account partly following it (beta ~0.6) with its own swings.
    const dates = weekdays(nDays + 1, '2024-01-02');
    let close = 470;
    const bars = dates.map((d, i) => {
      const open = close;
      if (i > 0) close = Math.round(close * (1 + 0.0005 + 0.008 * Math.sin(i * 0.23)) * 100) / 100;
      return {
        t: `${d}T05:00:00Z`,
        o: open,
        h: Math.max(open, close),
        l: Math.min(open, close),
        c: close,
        v: 1_000_000,
        n: 5000,
        vw: (open + close) / 2,
      };
    });
    const timestamp = bars.map((b) => Date.parse(b.t) / 1000);
    const equity = [100_000];
    const pl = [0];
    for (let i = 1; i < timestamp.length; i++) {
      const r = 0.6 * (bars[i].c / bars[i - 1].c - 1) + 0.006 * Math.sin(i * 0.37) + 0.0003;
      pl.push(equity[i - 1] * r);
      equity.push(equity[i - 1] * (1 + r));
    }
    fake = await startRemoteFakeAlpaca({
      latencyMs: Number(values['latency-ms']),
      bars: [{ symbol: 'SPY', bars }],
      portfolioHistory: { timestamp, equity, profit_loss: pl, base_value: equity[0], timeframe: '1D' },
      fills: roundTripFills(nFills, timestamp[0] * 1000, (timestamp[timestamp.length - 1] - timestamp[0]) * 1000),
    });

    // The SDK's throttle and 30 s timeout stay as in production.
    const broker = brokerFor(fake, { rateLimit: undefined, timeoutMs: undefined });
    const state = new Map<string, string>();
    const stateStore: StateStore = { get: (k) => state.get(k), set: (k, v) => void state.set(k, v) };
    const end = new Date((timestamp[timestamp.length - 1] + 86_400) * 1000);
    const clock: Clock = { now: () => end, sleep: async () => {} };
    const t0 = performance.now();
    const marks: string[] = [];
    const result = await runAnalytics(
      {
        broker,
        mode: 'paper',
        history: broker,
        notifiers: [],
        stateStore,
        clock,
        thresholds: { cooldownHours: 12 },
        logger: createLogger(() => {}),
        progress: (line) => {
          if (!line.startsWith('fetching fills…')) marks.push(`${((performance.now() - t0) / 1000).toFixed(2)}s  ${line}`);
        },
      },
      { from: new Date(timestamp[0] * 1000), to: end, outDir: dir, charts: true, channels: [] },
    );
    const seconds = (performance.now() - t0) / 1000;
    const requests = await fake.requestCount();
    console.log(marks.join('\n'));
    console.log(
      `\nanalytics bench: ${result.report.window.tradingDays} trading days, ${result.report.fills.length.toLocaleString('en-US')} fills, ` +
        `${result.report.trades.trades.toLocaleString('en-US')} round trips, ` +
        `${requests} API requests at ${values['latency-ms']} ms each: ` +
        `${seconds.toFixed(2)} s (CSVs, JSON, 5 charts, HTML; goal: under 2 s)`,
    );
    if (values.summary) console.log('\n' + summaryText(result.report));
    if (values.keep) console.log(`output kept in ${dir}`);
  } finally {
    await fake?.close();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
