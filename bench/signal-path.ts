/**
 * Benchmarks of the signal path: the real server against the fake Sheets and
 * Alpaca servers with added latency, in this process (server-process.ts
 * measures the server in its own; bench-stack.ts holds the stack both boot).
 * Prints tables; asserts nothing.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { API_TOKEN, SECRET, startStack, type Stack } from '../tests/support/stack';
import { boot, type Latency, SYMBOLS, tally, TIMEFRAMES, timed } from './bench-stack';
import { ms, percentile, since, table } from './stats';

/** One flat → long signal, timed: its answer, and when Alpaca accepted its order (undefined when none was placed). */
async function flatToLong(
  stack: Stack,
  latency: Latency,
  symbol: string,
  id: string,
): Promise<{ response: number; accepted?: number; status: string }> {
  const sentAt = Date.now();
  const before = stack.alpaca.orders.length;
  const r = await timed(stack, { action: 'BUY', symbol, timeframe: '15', id });
  const order = stack.alpaca.requests.filter((q) => q.method === 'POST' && q.path === '/v2/orders').at(-1);
  // The fake records a request as it arrives and answers after its latency: accepted = arrival + latency.
  const accepted = stack.alpaca.orders.length > before && order ? order.time.getTime() + latency.alpacaMs - sentAt : undefined;
  stack.alpaca.setPosition(symbol, 0);
  return { response: r.ms, accepted, status: r.status };
}

/**
 * Single flat → long signals, one at a time, on a server that has been up a
 * moment (as at the open): first the day's first signal of each of 18
 * symbols not yet seen, then `repeats` signals of a symbol already seen.
 * Response time and time to the accepted order, against the critical-path floor.
 */
export async function singleSignal(latency: Latency, repeats = 40): Promise<void> {
  // 58 signals in about 15 s would pass Alpaca's 200 requests a minute; the burst shows that limit, not this.
  const stack = await boot(latency, false, false);
  const first = { response: [] as number[], accepted: [] as number[], statuses: [] as string[] };
  const again = { response: [] as number[], accepted: [] as number[], statuses: [] as string[] };
  const note = (into: typeof first, r: Awaited<ReturnType<typeof flatToLong>>) => {
    into.response.push(r.response);
    if (r.accepted !== undefined) into.accepted.push(r.accepted);
    into.statuses.push(r.status);
  };
  try {
    // A running server is idle before the day's first alert: whatever it reads at start-up is done by then.
    await new Promise((r) => setTimeout(r, 2_000));
    for (const [i, symbol] of SYMBOLS.entries()) note(first, await flatToLong(stack, latency, symbol, `first-${i}`));
    for (let i = 0; i < repeats; i++) note(again, await flatToLong(stack, latency, 'AAPL', `again-${i}`));
  } finally {
    await stack.stop();
  }
  // The floor: the Config read beside the position read, then the order.
  const floor = Math.max(latency.sheetsMs, latency.alpacaMs) + latency.alpacaMs;
  const at = (values: number[], p: number) => `${ms(percentile(values, p))} (${(percentile(values, p) / floor).toFixed(2)}x)`;
  table(`Single signal, flat -> long, one at a time (Sheets +${latency.sheetsMs} ms, Alpaca +${latency.alpacaMs} ms)`, [
    ['critical-path floor: max(Config, position) + order', ms(floor)],
    [`first signal of the day, ${SYMBOLS.length} symbols not yet seen: answers`, tally(first.statuses)],
    ['  request -> response p50 / p99 (ratio to the floor; goal p50 <= 1.10x)', `${at(first.response, 50)} / ${at(first.response, 99)}`],
    ['  request -> order accepted p50 / p99', `${ms(percentile(first.accepted, 50))} / ${ms(percentile(first.accepted, 99))}`],
    [`repeat signal of a symbol already seen (${repeats} runs): answers`, tally(again.statuses)],
    ['  request -> response p50 / p99 (ratio to the floor; goal p50 <= 1.10x)', `${at(again.response, 50)} / ${at(again.response, 99)}`],
    ['  request -> order accepted p50 / p99', `${ms(percentile(again.accepted, 50))} / ${ms(percentile(again.accepted, 99))}`],
  ]);
}

/** Alpaca REST requests from `from` on, as "METHOD path" with counts, order ids and symbols folded. */
function requestKinds(stack: Stack, from: number): string {
  const counts = new Map<string, number>();
  for (const r of stack.alpaca.requests.slice(from)) {
    const path = r.path
      .replace(/\/v2\/orders\/[^/]+$/, '/v2/orders/{id}')
      .replace(/\/(positions|assets)\/[A-Z.]+$/, '/$1/{symbol}')
      .replace(/\/stocks\/[A-Z.]+\//, '/stocks/{symbol}/');
    const key = `${r.method} ${path}${r.query.status ? `?status=${r.query.status}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/** Resolves once the fake Alpaca has seen no request for `quietMs` (the signal's follow-up work is over). */
async function alpacaQuiet(stack: Stack, quietMs = 1_500, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const last = Math.max(started, stack.alpaca.requests.at(-1)?.time.getTime() ?? 0);
    if (Date.now() - last >= quietMs) return;
    if (Date.now() > deadline) throw new Error('Alpaca never went quiet');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Alpaca REST requests per signal for flat → long with a protective stop
 * (a Config row with stop_loss_pct), then CLOSE, counted from the fake's
 * request log from the alert until the last follow-up request (fill, stop
 * placed; stop cancelled, close filled). `serverEnv` passes settings to the
 * server (e.g. ORDER_EVENTS) to compare ways of following orders.
 */
export async function requestsPerSignal(latency: Latency, serverEnv: Record<string, string> = {}, rounds = 5): Promise<void> {
  const stack = await startStack({
    config: [
      ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'Order Status', 'Last Updated'],
      ['AAPL', '$5,000', 'TRUE', '15 Min', '2', 'READY', ''],
    ],
    quiet: true,
    env: { ALPACA_RATE_LIMIT: 'false', ...serverEnv },
    alpaca: { latencyMs: latency.alpacaMs, rateLimitPerMinute: false },
    sheets: { latencyMs: latency.sheetsMs, quota: false },
  });
  const buys: number[] = [];
  const closes: number[] = [];
  const kinds = { buy: '', close: '' };
  let following = 'not reported';
  try {
    // How the server says it follows orders, so a setting it ignores can't pass for one it applies.
    following = String((await stack.call('/health', { token: API_TOKEN })).body.order_events ?? following);
    await alpacaQuiet(stack); // start-up's own reads (recovery, reconcile, read ahead) are not a signal's
    for (let i = 0; i < rounds; i++) {
      let from = stack.alpaca.requests.length;
      const buy = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: `rq-buy-${i}` });
      if (buy.body.status !== 'ORDER SUBMITTED') throw new Error(`BUY answered ${JSON.stringify(buy.body)}`);
      await stack.waitStatus('AAPL', '15 Min', 'FILLED', 30_000);
      await alpacaQuiet(stack);
      buys.push(stack.alpaca.requests.length - from);
      if (i === 0) kinds.buy = requestKinds(stack, from);
      from = stack.alpaca.requests.length;
      const close = await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: `rq-close-${i}` });
      if (close.body.status !== 'ORDER SUBMITTED') throw new Error(`CLOSE answered ${JSON.stringify(close.body)}`);
      await stack.waitStatus('AAPL', '15 Min', 'WAITING', 30_000);
      await alpacaQuiet(stack);
      closes.push(stack.alpaca.requests.length - from);
      if (i === 0) kinds.close = requestKinds(stack, from);
    }
  } finally {
    await stack.stop();
  }
  const settings =
    Object.entries(serverEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || 'default settings';
  const range = (v: number[]) =>
    Math.min(...v) === Math.max(...v) ? String(v[0]) : `${percentile(v, 50)} (${Math.min(...v)} to ${Math.max(...v)})`;
  table(
    `Alpaca REST requests per signal: flat -> long with a 2% stop, then CLOSE ` +
      `(${rounds} rounds, ${settings}; Alpaca +${latency.alpacaMs} ms)`,
    [
      ['how orders are followed (/health order_events)', following],
      ['BUY (order, fill, stop placed): requests, median', range(buys)],
      ['  the first BUY', kinds.buy],
      ['CLOSE (stop cancelled, close filled): requests, median', range(closes)],
      ['  the first CLOSE', kinds.close],
      ['per signal, mean of BUY and CLOSE', ((percentile(buys, 50) + percentile(closes, 50)) / 2).toFixed(1)],
    ],
  );
}

/** 54 distinct BUY signals at once, 10% of them sent twice; optionally with Sheets answering 429 at first. */
export async function burst(latency: Latency, outageMs = 0): Promise<void> {
  const stack = await boot(latency, outageMs > 0);
  try {
    // A signal before the burst leaves a good Config copy, as a running server has.
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'warm-up' });
    await stack.waitStatus('AAPL', '15 Min', 'WAITING', 10_000);
    const reads0 = stack.sheets.readCount;
    const writes0 = stack.sheets.writeCount;
    const requests0 = stack.sheets.requests.length;
    if (outageMs > 0) stack.sheets.inject({ status: 429, forMs: outageMs });
    const signals = SYMBOLS.flatMap((s, i) =>
      TIMEFRAMES.map((tf, j) => ({ action: 'BUY', symbol: s, timeframe: tf, id: `burst-${i}-${j}` })),
    );
    const resent = signals.filter((_, i) => i % 10 === 0);
    const start = performance.now();
    const answers = await Promise.all([...signals, ...resent].map((b) => timed(stack, b)));
    const answerTally = tally(answers.map((a) => a.status));
    const slowest = Math.max(...answers.map((a) => a.ms));
    const final = new Set(['FILLED', 'ALREADY LONG']);
    await stack.until(
      () => signals.every((s) => final.has(stack.row(s.symbol, s.timeframe)['Order Status'])),
      'every status in the sheet',
      120_000,
    );
    const landed = since(start);
    const orders = stack.alpaca.orders.length;
    const reads = stack.sheets.readCount - reads0;
    const writes = stack.sheets.writeCount - writes0;
    const title =
      outageMs > 0
        ? `Burst with Sheets answering 429 for the first ${outageMs / 1000} s`
        : 'Burst: 54 distinct signals (18 symbols x 3 timeframes) + 10% resent';
    table(`${title} (Sheets +${latency.sheetsMs} ms, Alpaca +${latency.alpacaMs} ms)`, [
      ['signals sent (distinct + resent)', `${signals.length} + ${resent.length}`],
      ['slowest response (must be < 3 s)', ms(slowest)],
      ['answers', answerTally],
      ['orders placed / orders the signals call for', `${orders} / ${SYMBOLS.length} (one BUY per symbol; the other rows ALREADY LONG)`],
      [
        'Sheets read requests (ok)',
        outageMs > 0
          ? String(reads)
          : `${reads} = ${reads - writes} for the signals + ${writes} to locate rows, one per write (each flush reads afresh)`,
      ],
      ['Sheets write requests (ok)', String(writes)],
      ['Sheets requests refused with 429', String(stack.sheets.requests.slice(requests0).filter((r) => r.status === 429).length)],
      ['statuses in the sheet', `${signals.length} / ${signals.length}`],
      ['time until the last status landed', ms(landed)],
    ]);
  } finally {
    await stack.stop();
  }
}

async function bareExpress(): Promise<{ url: string; close: () => void }> {
  const app = express();
  app.use(express.text({ type: () => true, limit: '16kb' }));
  app.post('/webhook', (req, res) => {
    JSON.parse(req.body as string);
    res.json({ status: 'ok' });
  });
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** The server's own cost: 1,000 sequential signals with no added latency, beside a bare Express handler. */
export async function overhead(runs = 1000): Promise<void> {
  const stack = await boot({ sheetsMs: 0, alpacaMs: 0 }, false, false);
  const bare = await bareExpress();
  const ours: number[] = [];
  const plain: number[] = [];
  const statuses: string[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const body = { action: i % 2 ? 'CLOSE' : 'BUY', symbol: SYMBOLS[Math.floor(i / 2) % SYMBOLS.length], timeframe: '15', id: `o-${i}` };
      const answer = await timed(stack, body);
      ours.push(answer.ms);
      statuses.push(answer.status);
      const start = performance.now();
      await (await fetch(`${bare.url}/webhook`, { method: 'POST', body: JSON.stringify({ ...body, secret: SECRET }) })).text();
      plain.push(since(start));
    }
  } finally {
    bare.close();
    await stack.stop();
  }
  const p50 = percentile(ours, 50);
  const p99 = percentile(ours, 99);
  table(`Overhead: ${runs} sequential signals, no added latency (each BUY places an order, each CLOSE closes it)`, [
    ['answers', tally(statuses)],
    ['trading-bot p50 / p99', `${ms(p50)} / ${ms(p99)}`],
    ['bare Express p50 / p99', `${ms(percentile(plain, 50))} / ${ms(percentile(plain, 99))}`],
    ['ratio p50 / p99', `${(p50 / percentile(plain, 50)).toFixed(1)}x / ${(p99 / percentile(plain, 99)).toFixed(1)}x`],
  ]);
}
