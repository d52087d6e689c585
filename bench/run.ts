/**
 * `npm run bench`: the signal-path benchmarks. Latency added by the fakes is
 * set with BENCH_SHEETS_LATENCY_MS (default 150) and BENCH_ALPACA_LATENCY_MS
 * (default 50); BENCH_ONLY=idle,single,requests,burst,outage,overhead,memory,growth picks sections.
 * BENCH_ORDER_EVENTS (e.g. `stream` or `polling`) is passed to the server as
 * ORDER_EVENTS for the requests-per-signal count.
 */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { burst, idle, memory, overhead, requestsPerSignal, singleSignal } from './signal-path';

/** The V8 limits systemd/trading-bot.service sets, read from the unit itself so the two never drift. */
function unitNodeOptions(): string {
  const unit = readFileSync(join(__dirname, '../../systemd/trading-bot.service'), 'utf8');
  const found = /^Environment="NODE_OPTIONS=([^"]*)"/m.exec(unit)?.[1];
  if (!found) throw new Error('systemd/trading-bot.service sets no NODE_OPTIONS');
  return found;
}

async function main(): Promise<void> {
  const latency = { sheetsMs: Number(process.env.BENCH_SHEETS_LATENCY_MS ?? 150), alpacaMs: Number(process.env.BENCH_ALPACA_LATENCY_MS ?? 50) };
  const only = new Set((process.env.BENCH_ONLY ?? 'idle,single,requests,burst,outage,overhead,memory,growth').split(','));
  const orderEvents = process.env.BENCH_ORDER_EVENTS;
  console.log(`trading-bot signal-path benchmark — ${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  if (only.has('idle')) await idle();
  if (only.has('single')) await singleSignal(latency);
  if (only.has('requests')) await requestsPerSignal(latency, orderEvents ? { ORDER_EVENTS: orderEvents } : {});
  if (only.has('burst')) await burst(latency);
  if (only.has('outage')) await burst(latency, 20_000);
  if (only.has('overhead')) await overhead();
  if (only.has('memory')) await memory();
  // As the systemd unit runs it (heap and young generation capped), after a warm-up.
  if (only.has('growth')) await memory(2_500, 8, process.env.BENCH_NODE_OPTIONS ?? unitNodeOptions(), {}, 504);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
