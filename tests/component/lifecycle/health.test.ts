/** GET /health over HTTP: honest about the journal, and detailed only for the token holder. */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { memoryLogger } from '../../../src/logger';
import { buildServer } from '../../../src/server';
import { loadSettings } from '../../../src/settings';
import { API_TOKEN, startGuarded, type GuardedStack } from '../../support/guarded-stack';
import { callServer } from '../../support/server-call';

let stack: GuardedStack;
afterEach(async () => stack?.stop());

const BUY = { action: 'BUY', symbol: 'AAPL', timeframe: '15' };

describe('/health', () => {
  it('when all is well, then anonymous callers get 200 ok and nothing more, and no Sheets read is spent', async () => {
    stack = await startGuarded();
    await new Promise((r) => setTimeout(r, 300)); // let start-up's own reads (recovery, reconcile) finish
    const configReads = () => stack.sheets.requests.filter((r) => r.kind === 'read' && r.path.includes('Config')).length;
    const reads = configReads();
    for (let i = 0; i < 3; i++) {
      const res = await stack.call('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    }
    expect(configReads()).toBe(reads);
  });

  it('when the token is sent, then it reports mode, halt and breaker state, outbox backlog and the last signal time', async () => {
    stack = await startGuarded({ env: { MAX_DAILY_LOSS_PCT: '5' } });
    const before = Date.now();
    await stack.signal(BUY);
    await stack.call('/halt', { method: 'POST', token: API_TOKEN, body: '{"reason":"lunch"}' });
    const res = await stack.call('/health', { token: API_TOKEN });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      mode: 'paper',
      sheet: 'google',
      active_rows: 3,
      halt: { halted: true, reason: 'lunch' },
      breaker: { tripped: false },
      outbox_backlog: expect.any(Number),
    });
    expect(Date.parse(res.body.last_signal_at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('when the journal cannot be written, then /health answers 503 degraded, to everyone', async () => {
    stack = await startGuarded();
    stack.server.adapters.db.pragma('query_only = ON'); // the same refusal a full disk or a read-only file gives a write
    const anonymous = await stack.call('/health');
    expect(anonymous.status).toBe(503);
    expect(anonymous.body).toEqual({ status: 'degraded' });
    const detailed = await stack.call('/health', { token: API_TOKEN });
    expect(detailed.status).toBe(503);
    expect(detailed.body).toMatchObject({ status: 'degraded', problem: expect.stringMatching(/journal cannot be written.*readonly/i) });
    stack.server.adapters.db.pragma('query_only = OFF');
    expect((await stack.call('/health')).status).toBe(200);
  });

  it('when a database page is corrupt, then /health answers 503 degraded', async () => {
    stack = await startGuarded();
    for (let i = 0; i < 40; i++) await stack.signal({ ...BUY, id: `fill-${i}`, timenow: new Date(Date.now() - i * 1000).toISOString() });
    const dataDir = stack.env.DATA_DIR!;
    await stack.server.shutdown();
    const file = join(dataDir, 'trading-bot.db');
    const pageSize = readFileSync(file).readUInt16BE(16);
    const pages = statSync(file).size / pageSize;
    expect(pages).toBeGreaterThan(3);
    // Scribble over the last page (table or index data), leaving the header page intact so the file still opens.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (pages - 1) * pageSize);
    closeSync(fd);
    const server = await buildServer(loadSettings(stack.env), memoryLogger());
    try {
      await server.start(0);
      const res = await callServer(server.url, '/health', { token: API_TOKEN });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'degraded', problem: expect.stringMatching(/quick check|malformed|corrupt/i) });
    } finally {
      await server.shutdown().catch(() => undefined);
    }
  });
});
