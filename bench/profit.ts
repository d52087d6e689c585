/**
 * Bench (not a test): `npm run profit` on a busy account, 50 open positions
 * and 5,000 fills in the Performance window, read through the real Alpaca
 * adapter (with the SDK's own rate limiter, as in production) from the fake
 * Alpaca (in a worker thread, standing in for Alpaca's servers) with a
 * per-request latency like the real API's. Prints the wall
 * time of the whole command as a new process, and of in-process runs.
 * Goal: under 3 s. Each run makes ~58 requests; the fake enforces Alpaca's
 * 200 a minute, so keep --runs small.
 *
 *   npm run build && node dist/bench/profit.js [--positions 50] [--fills 5000] [--latency-ms 40] [--runs 2]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { main } from '../analytics/profit/cli';
import type { FillInput } from '../tests/fakes/fake-alpaca';
import { startRemoteFakeAlpaca, type RemoteFake } from './remote-fake-alpaca';

async function bench(): Promise<void> {
  const { values } = parseArgs({
    options: {
      positions: { type: 'string', default: '50' },
      fills: { type: 'string', default: '5000' },
      'latency-ms': { type: 'string', default: '40' },
      runs: { type: 'string', default: '2' },
    },
  });
  const nPositions = Number(values.positions);
  const nFills = Number(values.fills);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-profit-'));
  let fake: RemoteFake | undefined;
  try {
    const positions = Array.from({ length: nPositions }, (_, i): [string, number, number, number] => [
      `S${String(i).padStart(3, '0')}`,
      100 + (i % 17),
      i % 4 === 3 ? -(5 + i) : 5 + i,
      100 + (i % 11),
    ]);
    // Round trips in other symbols over the last 29 days, so the positions stay as set.
    const now = Date.now();
    const fills: FillInput[] = Array.from({ length: nFills }, (_, i) => {
      const k = Math.floor(i / 2);
      return {
        symbol: `T${k % 40}`,
        side: i % 2 === 0 ? 'buy' : 'sell',
        qty: 1 + (k % 5),
        price: i % 2 === 0 ? 100 : 100 + Math.sin(k) * 2,
        time: new Date(now - 29 * 86_400_000 + i * Math.floor((28 * 86_400_000) / nFills)).toISOString(),
      };
    });
    fake = await startRemoteFakeAlpaca({ latencyMs: Number(values['latency-ms']), positions, fills });
    const env = {
      APCA_API_KEY_ID: fake.keyId,
      APCA_API_SECRET_KEY: fake.secretKey,
      APCA_API_BASE_URL: fake.url,
      APCA_API_DATA_URL: fake.dataUrl,
      WEBHOOK_SECRET: 'bench-webhook-secret',
      API_TOKEN: 'bench-api-token-0123456789',
      DATA_DIR: dataDir,
    };
    // The whole command as a trader runs it: a fresh node process, module loading included.
    const t0 = performance.now();
    const proc = await promisify(execFile)(process.execPath, [join(__dirname, '../analytics/profit/cli.js'), '--json'], {
      env: { ...env, PATH: process.env.PATH },
      cwd: dataDir,
    });
    const processSeconds = (performance.now() - t0) / 1000;
    JSON.parse(proc.stdout);
    const times: number[] = [];
    let out = '';
    for (let run = 0; run < Number(values.runs); run++) {
      const requestsBefore = await fake.requestCount();
      const t0 = performance.now();
      out = '';
      const code = await main(['--json'], env, {
        stdout: (s) => void (out += s),
        stderr: (s) => void process.stderr.write(s),
        isTerminal: false,
      });
      times.push((performance.now() - t0) / 1000);
      if (code !== 0) throw new Error(`profit exited ${code}`);
      if (run === 0) console.log(`requests per run: ${(await fake.requestCount()) - requestsBefore}`);
    }
    const json = JSON.parse(out);
    console.log(
      `profit bench: ${json.positions.length} positions, ${json.realized.fills.toLocaleString('en-US')} fills, ` +
        `${json.realized.trades.toLocaleString('en-US')} round trips, ` +
        `${values['latency-ms']} ms a request: ${processSeconds.toFixed(2)} s as a new process ` +
        `(node dist/analytics/profit/cli.js --json); ` +
        `in-process runs ${times.map((t) => `${t.toFixed(2)} s`).join(', ')} (goal: under 3 s)`,
    );
  } finally {
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

bench().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
