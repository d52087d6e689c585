/**
 * Bench (not a test): `npm run profit` on a busy account, 50 open positions
 * and 5,000 fills in the Performance window, read through the real Alpaca
 * adapter (with the SDK's own rate limiter, as in production) from the fake
 * Alpaca with a per-request latency like the real API's. Prints the wall
 * time of the whole CLI run, settings and database included. Goal: under 3 s.
 *
 *   npm run build && node dist/bench/profit.js [--positions 50] [--fills 5000] [--latency-ms 40] [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../analytics/profit/cli';
import { startFakeAlpaca, type FillInput } from '../tests/fakes/fake-alpaca';

async function bench(): Promise<void> {
  const { values } = parseArgs({
    options: { positions: { type: 'string', default: '50' }, fills: { type: 'string', default: '5000' }, 'latency-ms': { type: 'string', default: '40' }, runs: { type: 'string', default: '3' } },
  });
  const nPositions = Number(values.positions);
  const nFills = Number(values.fills);
  const fake = await startFakeAlpaca({ latencyMs: Number(values['latency-ms']) });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-profit-'));
  try {
    const symbols = Array.from({ length: nPositions }, (_, i) => `S${String(i).padStart(3, '0')}`);
    symbols.forEach((s, i) => {
      fake.setPrice(s, 100 + (i % 17));
      fake.setPosition(s, i % 4 === 3 ? -(5 + i) : 5 + i, 100 + (i % 11));
    });
    // Round trips in other symbols over the last 29 days, so the positions stay as set.
    const now = Date.now();
    const fills: FillInput[] = Array.from({ length: nFills }, (_, i) => {
      const k = Math.floor(i / 2);
      return {
        symbol: `T${k % 40}`, side: i % 2 === 0 ? 'buy' : 'sell', qty: 1 + (k % 5),
        price: i % 2 === 0 ? 100 : 100 + Math.sin(k) * 2, time: new Date(now - 29 * 86_400_000 + i * Math.floor((28 * 86_400_000) / nFills)).toISOString(),
      };
    });
    fake.addFills(fills);
    const env = {
      APCA_API_KEY_ID: fake.keyId, APCA_API_SECRET_KEY: fake.secretKey, APCA_API_BASE_URL: fake.url, APCA_API_DATA_URL: fake.dataUrl,
      WEBHOOK_SECRET: 'bench-webhook-secret', API_TOKEN: 'bench-api-token-0123456789', DATA_DIR: dataDir,
    };
    const times: number[] = [];
    let out = '';
    for (let run = 0; run < Number(values.runs); run++) {
      const requestsBefore = fake.requests.length;
      const t0 = performance.now();
      out = '';
      const code = await main(['--json'], env, { stdout: (s) => void (out += s), stderr: (s) => void process.stderr.write(s), isTerminal: false });
      times.push((performance.now() - t0) / 1000);
      if (code !== 0) throw new Error(`profit exited ${code}`);
      if (run === 0) console.log(`requests per run: ${fake.requests.length - requestsBefore}`);
    }
    const json = JSON.parse(out);
    console.log(
      `profit bench: ${json.positions.length} positions, ${json.realized.fills.toLocaleString('en-US')} fills, ${json.realized.trades.toLocaleString('en-US')} round trips, ` +
        `${values['latency-ms']} ms a request: ${times.map((t) => `${t.toFixed(2)} s`).join(', ')} (goal: under 3 s)`,
    );
  } finally {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

bench().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
