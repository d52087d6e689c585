/**
 * `npm run bench`: the signal-path benchmarks. Latency added by the fakes is
 * set with BENCH_SHEETS_LATENCY_MS (default 150) and BENCH_ALPACA_LATENCY_MS
 * (default 50); BENCH_ONLY=single,burst,outage,overhead,memory picks sections.
 */
import { cpus, totalmem } from 'node:os';
import { burst, memory, overhead, singleSignal } from './signal-path';

async function main(): Promise<void> {
  const latency = { sheetsMs: Number(process.env.BENCH_SHEETS_LATENCY_MS ?? 150), alpacaMs: Number(process.env.BENCH_ALPACA_LATENCY_MS ?? 50) };
  const only = new Set((process.env.BENCH_ONLY ?? 'single,burst,outage,overhead,memory').split(','));
  console.log(`trading-bot signal-path benchmark — ${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  if (only.has('single')) await singleSignal(latency);
  if (only.has('burst')) await burst(latency);
  if (only.has('outage')) await burst(latency, 20_000);
  if (only.has('overhead')) await overhead();
  if (only.has('memory')) {
    await memory();
    // The same with the heap capped as in the systemd unit: growth above is V8 collecting lazily, not a leak.
    await memory(10_000, 8, '--max-old-space-size=256');
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
