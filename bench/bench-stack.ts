/**
 * The stack the signal-path benchmarks share: 18 symbols on 3 timeframes in
 * the Config, the fakes' added latency, and the timing and tallying of one
 * signal's answer. Used by signal-path.ts and server-process.ts.
 */
import { startStack, type Stack } from '../tests/support/stack';
import { since } from './stats';

export const SYMBOLS = [
  'AAPL',
  'MSFT',
  'NVDA',
  'AMZN',
  'GOOG',
  'META',
  'TSLA',
  'AMD',
  'NFLX',
  'INTC',
  'CSCO',
  'ORCL',
  'CRM',
  'ADBE',
  'QCOM',
  'TXN',
  'AVGO',
  'PEP',
];
export const TIMEFRAMES = ['15 Min', '30 Min', '45 Min'];

/** Latency added to every fake answer, in ms. */
export interface Latency {
  sheetsMs: number;
  alpacaMs: number;
}

function burstConfig(): string[][] {
  const rows = [['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated']];
  for (const s of SYMBOLS) for (const tf of TIMEFRAMES) rows.push([s, '$1,000', 'TRUE', tf, 'READY', '']);
  return rows;
}

/** The stack the benches share: 54 rows (18 symbols x 3 timeframes) with prices set, quiet logs, the fakes' latency and limits as asked. */
export async function boot(latency: Latency, quota = false, alpacaLimit: number | false = 200): Promise<Stack> {
  const stack = await startStack({
    config: burstConfig(),
    quiet: true,
    // The SDK's 200 requests/min throttle would measure Alpaca's limit, not the server.
    env: { ALPACA_RATE_LIMIT: 'false', RATE_LIMIT_PER_MINUTE: '1000000' },
    alpaca: { latencyMs: latency.alpacaMs, cash: 10_000_000, rateLimitPerMinute: alpacaLimit },
    sheets: { latencyMs: latency.sheetsMs, ...(quota ? {} : { quota: false }) },
  });
  SYMBOLS.forEach((s, i) => stack.alpaca.setPrice(s, 50 + i * 10));
  return stack;
}

/** One signal sent to the stack, timed: its answer's status (or HTTP status) and how long it took. */
export async function timed(stack: Stack, body: Record<string, unknown>): Promise<{ ms: number; status: string }> {
  const start = performance.now();
  const res = await stack.signal(body);
  return { ms: since(start), status: res.body?.status ?? `HTTP ${res.status}` };
}

/** How many answers had each status, e.g. "ORDER SUBMITTED 500, WAITING 500". */
export function tally(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s} ${n}`).join(', ');
}
