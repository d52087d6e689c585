/**
 * `npm run bench`: the signal-path benchmarks. Latency added by the fakes is
 * set with BENCH_SHEETS_LATENCY_MS (default 150) and BENCH_ALPACA_LATENCY_MS
 * (default 50); BENCH_ONLY=idle,single,requests,burst,outage,overhead,memory,growth picks sections.
 * BENCH_ORDER_EVENTS (e.g. `stream` or `polling`) is passed to the server as
 * ORDER_EVENTS for the idle and growth memory and the requests-per-signal
 * count. BENCH_NODE_OPTIONS replaces the unit's node flags for idle and growth.
 */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { idle, memory, type NodeFlags } from './server-process';
import { burst, overhead, requestsPerSignal, singleSignal } from './signal-path';

/**
 * How the service runs node, read from its own files so the bench never
 * drifts from them: NODE_OPTIONS from the env file's template (.env.example,
 * which the unit reads as /etc/trading-bot/env), and the flags between node
 * and the script from systemd/trading-bot.service.
 */
function unitFlags(): NodeFlags {
  const unit = readFileSync(join(__dirname, '../../systemd/trading-bot.service'), 'utf8');
  const envFile = readFileSync(join(__dirname, '../../.env.example'), 'utf8');
  const nodeOptions = /^NODE_OPTIONS="?([^"\n]*)"?$/m.exec(envFile)?.[1];
  if (!nodeOptions) throw new Error('.env.example sets no NODE_OPTIONS');
  const exec = /^ExecStart=(\S+)((?:\s+-\S+)*)\s+\S+main\.js$/m.exec(unit);
  if (!exec) throw new Error('systemd/trading-bot.service has no ExecStart=<node> [flags] <...>/main.js line');
  return { nodeOptions, nodeArgs: exec[2].trim().split(/\s+/).filter(Boolean) };
}

async function main(): Promise<void> {
  const latency = {
    sheetsMs: Number(process.env.BENCH_SHEETS_LATENCY_MS ?? 150),
    alpacaMs: Number(process.env.BENCH_ALPACA_LATENCY_MS ?? 50),
  };
  const only = new Set((process.env.BENCH_ONLY ?? 'idle,single,requests,burst,outage,overhead,memory,growth').split(','));
  const orderEvents = process.env.BENCH_ORDER_EVENTS;
  console.log(
    `trading-bot signal-path benchmark — ${cpus().length} x ${cpus()[0]?.model.trim()}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  const unit = unitFlags();
  const serverEnv: Record<string, string> = orderEvents ? { ORDER_EVENTS: orderEvents } : {};
  // As the systemd unit runs it, and with Node's defaults (as `npm start` does).
  if (only.has('idle'))
    await idle([process.env.BENCH_NODE_OPTIONS ? { nodeOptions: process.env.BENCH_NODE_OPTIONS } : unit, {}], serverEnv);
  if (only.has('single')) await singleSignal(latency);
  if (only.has('requests')) await requestsPerSignal(latency, serverEnv);
  if (only.has('burst')) await burst(latency);
  if (only.has('outage')) await burst(latency, 20_000);
  if (only.has('overhead')) await overhead();
  if (only.has('memory')) await memory();
  // As the systemd unit runs it (heap and young generation capped), after a warm-up.
  if (only.has('growth'))
    await memory(2_500, 8, process.env.BENCH_NODE_OPTIONS ? { nodeOptions: process.env.BENCH_NODE_OPTIONS } : unit, serverEnv, 504);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
