/**
 * Benchmarks of the server in its own process, compiled, as the unit runs it:
 * start-up time and idle memory, and memory over many signals. Prints
 * tables; asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { startChildServer } from '../tests/support/child-server';
import { API_TOKEN, SECRET } from '../tests/support/stack';
import { boot, SYMBOLS, tally } from './bench-stack';
import { ms, since, table } from './stats';

/** Resident memory of the server process (VmRSS), in bytes. */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** How node runs the server: NODE_OPTIONS and the flags before the script (V8 flags NODE_OPTIONS refuses). */
export interface NodeFlags {
  nodeOptions?: string;
  nodeArgs?: string[];
}

/** The flags as one line, for table titles. */
const describeFlags = (f: NodeFlags) => [f.nodeOptions, ...(f.nodeArgs ?? [])].filter(Boolean).join(' ') || "Node's defaults";

/** Where memory sits at idle: the node binary's pages (code, ICU data), and the rest (V8's heap, malloc). */
function residentParts(pid: number): { binary: number; rest: number } {
  let current = '';
  let binary = 0;
  let total = 0;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) current = mapping[1];
    const kb = /^Rss:\s+(\d+) kB/.exec(line)?.[1];
    if (kb) {
      total += Number(kb) * 1024;
      if (current === process.execPath) binary += Number(kb) * 1024;
    }
  }
  return { binary, rest: total - binary };
}

/**
 * Start-up time to the first /health answer, and resident memory once idle,
 * of the compiled server in its own process: the median of `runs` starts with
 * each set of flags. `extraEnv` adds settings (e.g. ORDER_EVENTS).
 */
export async function idle(flagSets: NodeFlags[], extraEnv: Record<string, string> = {}, settleMs = 3000, runs = 5): Promise<void> {
  const stack = await boot({ sheetsMs: 0, alpacaMs: 0 }, false, false);
  await stack.server.shutdown();
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const rows: [string, string][] = [];
  let following = 'not reported';
  try {
    for (const flags of flagSets) {
      const startups: number[] = [];
      const samples: { rss: number; binary: number; rest: number }[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const child = await startChildServer(
          { ...stack.env, PERFORMANCE_INTERVAL_MINUTES: '600', NODE_OPTIONS: flags.nodeOptions, ...extraEnv },
          20_000,
          true,
          flags.nodeArgs,
        );
        try {
          const health = await fetch(`${child.url}/health`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
          startups.push(since(start));
          following = String(((await health.json()) as { order_events?: string }).order_events ?? following);
          await new Promise((r) => setTimeout(r, settleMs));
          samples.push({ rss: rssOf(child.pid), ...residentParts(child.pid) });
        } finally {
          child.kill('SIGTERM');
          await child.exited;
        }
      }
      const mid = samples.find((x) => x.rss === median(samples.map((y) => y.rss)))!;
      rows.push(
        [`${describeFlags(flags)}:`, ''],
        ['  process start -> first /health answer, median', ms(median(startups))],
        [
          `  RSS after ${settleMs / 1000} s idle, median of ${runs} (goal <= 90 MB as the unit runs it)`,
          `${mb(mid.rss)} (runs: ${samples.map((x) => mb(x.rss)).join(', ')})`,
        ],
        ['  of which the node binary (code, ICU data) / the rest (V8 heap, malloc)', `${mb(mid.binary)} / ${mb(mid.rest)}`],
      );
    }
  } finally {
    await stack.stop();
  }
  const settings = Object.entries(extraEnv)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  table(
    `Idle server (compiled, Google Sheets and Alpaca adapters loaded, in its own process` +
      `${settings ? `, ${settings}` : ''}; order events: ${following})`,
    rows,
  );
}

/**
 * The server's resident memory over many signals, measured in its own process
 * (the fakes keep logs). `warmUp` signals first let the JIT and caches settle,
 * so the growth shown is what the signals themselves leave behind.
 */
export async function memory(
  signals = 10_000,
  concurrency = 8,
  flags: NodeFlags = {},
  extraEnv: Record<string, string> = {},
  warmUp = 0,
): Promise<void> {
  const stack = await boot({ sheetsMs: 0, alpacaMs: 0 }, false, false);
  await stack.server.shutdown();
  const child = await startChildServer(
    { ...stack.env, PERFORMANCE_INTERVAL_MINUTES: '600', NODE_OPTIONS: flags.nodeOptions, ...extraEnv },
    20_000,
    true,
    flags.nodeArgs,
  );
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(`${child.url}/webhook`, { method: 'POST', body: JSON.stringify({ secret: SECRET, ...body }) });
    return ((await res.json()) as { status?: string }).status ?? `HTTP ${res.status}`;
  };
  const statuses: string[] = [];
  /** Signals `from` .. `to` - 1, `concurrency` at a time; each symbol alternates BUY and CLOSE, so every one places an order. */
  const send = async (from: number, to: number) => {
    let next = from;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < to; i = next++) {
          const action = Math.floor(i / SYMBOLS.length) % 2 ? 'CLOSE' : 'BUY';
          statuses.push(await post({ action, symbol: SYMBOLS[i % SYMBOLS.length], timeframe: '30 Min', id: `m-${i}` }));
        }
      }),
    );
  };
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  try {
    await post({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'mem-warm' });
    const idleRss = rssOf(child.pid);
    // An even count keeps each symbol's BUY/CLOSE rhythm intact across the two phases.
    const warm = warmUp - (warmUp % (2 * SYMBOLS.length));
    await send(0, warm);
    const before = rssOf(child.pid);
    const start = performance.now();
    await send(warm, warm + signals);
    const took = since(start);
    const after = rssOf(child.pid);
    const settings = [flags.nodeOptions, ...(flags.nodeArgs ?? []), ...Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`)]
      .filter(Boolean)
      .join(' ');
    table(
      `Memory: ${signals.toLocaleString('en-US')} signals, ${concurrency} at a time ` +
        `(the server in its own process${settings ? `, ${settings}` : ''})`,
      [
        ['answers', tally(statuses)],
        ['server RSS idle', mb(idleRss)],
        ...(warm ? [[`server RSS after ${warm} warm-up signals`, mb(before)] as [string, string]] : []),
        [`server RSS after ${signals.toLocaleString('en-US')} more signals`, mb(after)],
        ['RSS growth over those signals', mb(after - before)],
        ['throughput', `${Math.round(signals / (took / 1000))} signals/s`],
      ],
    );
  } finally {
    child.kill('SIGTERM');
    await child.exited;
    await stack.stop();
  }
}
