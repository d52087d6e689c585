/**
 * The server as a real process: killed mid-flip and restarted, stopped
 * with SIGTERM while an order is in flight, and one server per data folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type ChildServer, failedStart, runEntry, startChildServer, writeEnvFile } from '../../support/child-server';
import { journalDump } from '../../support/journal-dump';
import { DEFAULT_CONFIG, SECRET, startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const post = (url: string, body: Record<string, unknown>) =>
  fetch(`${url}/webhook`, { method: 'POST', body: JSON.stringify({ secret: SECRET, ...body }) }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as any,
  }));

/**
 * The first leg of a flip sent by a real process: the stack's server steps
 * aside for one, AAPL is long 3 at the fake (orders fill only by hand), and
 * the process is sent a SELL; answers the process and its answer.
 */
async function flipInProcess(env: Record<string, string> = {}): Promise<{ first: ChildServer; answer: { status: number; body: any } }> {
  stack = await startStack({ alpaca: { fill: 'manual' }, env });
  await stack.server.shutdown(); // the in-process server steps aside; a real process takes its place
  stack.alpaca.setPosition('AAPL', 3, 180);
  const first = await startChildServer(stack.env);
  return { first, answer: await post(first.url, { action: 'SELL', symbol: 'AAPL', timeframe: '15' }) };
}

/** Starts the server again as a process, runs `check` with it, and stops it with SIGTERM whatever `check` found. */
async function restarted(check: (second: ChildServer) => Promise<void>): Promise<void> {
  const second = await startChildServer(stack.env);
  try {
    await check(second);
  } finally {
    second.kill('SIGTERM');
    await second.exited;
  }
}

describe('a process killed during a flip', () => {
  it('when restarted, then the flip whose close filled is completed and the row shows FILLED', async () => {
    const { first, answer } = await flipInProcess();
    expect(answer.body.status).toBe('ORDER SUBMITTED');
    expect(stack.orderLines()).toEqual(['sell 3']);
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    stack.alpaca.fillOpenOrders(); // the close fills while the bot is down
    stack.alpaca.setFillMode('immediate');
    await restarted(async () => {
      await stack.until(() => stack.orderLines().length === 2, 'the opening short after restart', 15_000);
      expect(stack.orderLines()).toEqual(['sell 3', 'sell 26']);
      await stack.waitStatus('AAPL', '15 Min', 'FILLED', 15_000);
    });
  });

  it('when restarted too late, then the half-done flip is FAILED with the reason and nothing more is sent', async () => {
    const { first } = await flipInProcess({ FLIP_RESUME_MAX_AGE_SECONDS: '0' });
    first.kill('SIGKILL');
    await first.exited;
    stack.alpaca.fillOpenOrders();
    await restarted(async (second) => {
      await stack.waitStatus('AAPL', '15 Min', 'FAILED', 15_000);
      expect(stack.orderLines()).toEqual(['sell 3']);
      expect(second.output()).toMatch(/flip not completed/);
    });
  });
});

describe('a process killed between the legs of a flip', () => {
  it(
    "when the opening order's POST never reached Alpaca before the " +
      'kill, then the young flip is completed after the restart, not FAILED',
    async () => {
      const { first, answer } = await flipInProcess();
      expect(answer.body.status).toBe('ORDER SUBMITTED');
      stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, hang: true }); // the opening leg's POST never arrives
      stack.alpaca.fillOpenOrders();
      const posts = () => stack.alpaca.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders').length;
      await stack.until(() => posts() === 2, 'the opening leg on its way', 15_000);
      first.kill('SIGKILL');
      await first.exited;
      stack.alpaca.clearFaults();
      stack.alpaca.setFillMode('immediate');
      await restarted(async () => {
        await stack.waitStatus('AAPL', '15 Min', 'FILLED', 15_000);
        expect(stack.orderLines()).toEqual(['sell 3', 'sell 26']);
        expect(stack.alpaca.positions()).toEqual([expect.objectContaining({ symbol: 'AAPL', qty: '-26' })]);
      });
    },
  );

  it(
    'when the row is switched off while the bot is down and the close filled, ' +
      'then recovery settles from the journal: the flip completes, never FAILED',
    async () => {
      const { first } = await flipInProcess();
      first.kill('SIGKILL');
      await first.exited;
      stack.sheets.setTab(
        'Config',
        DEFAULT_CONFIG.map((r) => (r[0] === 'AAPL' && r[3] === '15 Min' ? [r[0], r[1], 'FALSE', ...r.slice(3)] : r)),
      );
      stack.alpaca.fillOpenOrders();
      stack.alpaca.setFillMode('immediate');
      await restarted(async () => {
        await stack.waitStatus('AAPL', '15 Min', 'FILLED', 15_000);
        expect(stack.orderLines()).toEqual(['sell 3', 'sell 26']);
      });
    },
  );
});

describe('SIGTERM', () => {
  it('when an order is in flight, then the process lets it settle, flushes the status and exits 0', async () => {
    stack = await startStack({ alpaca: { fill: 'manual' } });
    await stack.server.shutdown();
    const child = await startChildServer({ ...stack.env, SHUTDOWN_TIMEOUT_SECONDS: '10' });
    const res = await post(child.url, { action: 'BUY', symbol: 'MSFT', timeframe: '15' });
    expect(res.body.status).toBe('ORDER SUBMITTED');
    child.kill('SIGTERM');
    setTimeout(() => stack.alpaca.fillOpenOrders(), 300);
    expect(await child.exited).toBe(0);
    expect(stack.row('MSFT', '15 Min')['Order Status']).toBe('FILLED');
    expect(child.output()).toMatch(/"event":"server.stopped","outbox_flushed":true/);
    const late = await fetch(`${child.url}/health`).catch(() => 'refused');
    expect(late).toBe('refused');
  });
});

describe('one server per data folder', () => {
  const lockFile = () => join(stack.dataDir, 'trading-bot.pid');
  /** Runs the doctor on the stack's settings (from a 0600 env file); resolves with its exit code and output. */
  const doctor = () =>
    runEntry('src/doctor.ts', ['--env-file', writeEnvFile(join(stack.dataDir, 'doctor.env'), stack.env)], { cwd: stack.dataDir });

  it(
    'when a second process starts on the same DATA_DIR, then it refuses, naming the ' +
      'pid and the folder, and changes nothing; the doctor still runs beside the first',
    async () => {
      stack = await startStack();
      await stack.server.shutdown();
      stack.alpaca.setPosition('AAPL', 10, 180);
      const first = await startChildServer(stack.env);
      try {
        expect(readFileSync(lockFile(), 'utf8')).toBe(`${first.pid}\n`);
        // The second asks for per-row mode, whose switch would rewrite the books (case 9).
        const second = await failedStart({ ...stack.env, POSITION_MODE: 'per-row' });
        expect(second.started).toBe(false);
        expect(second.code).toBe(1);
        expect(second.out).toContain(`DATA_DIR ${stack.dataDir} is in use by process ${first.pid}`);
        const journal = journalDump(stack.dataDir);
        expect(journal.state).not.toContainEqual(expect.objectContaining({ key: 'position-mode' }));
        expect(journal.row_books).toEqual([]);
        expect(readFileSync(lockFile(), 'utf8')).toBe(`${first.pid}\n`);
        expect((await fetch(`${first.url}/health`)).status).toBe(200);
        const checked = await doctor();
        expect(checked.out).toMatch(/PASS\s+data dir/);
        expect(checked.code).toBe(0);
      } finally {
        first.kill('SIGTERM');
        await first.exited;
      }
      expect(existsSync(lockFile())).toBe(false);
    },
    60_000,
  );

  it('when the process holding the folder was killed, then the next one takes its lock over, and gives it up on SIGTERM', async () => {
    stack = await startStack();
    await stack.server.shutdown();
    const first = await startChildServer(stack.env);
    first.kill('SIGKILL');
    await first.exited;
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${first.pid}\n`); // left behind, naming a process that is gone
    const second = await startChildServer(stack.env);
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${second.pid}\n`);
    expect((await fetch(`${second.url}/health`)).status).toBe(200); // past start-up: its SIGTERM handler is in place
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
  });

  it('when a start-up is stopped by "port in use", then nothing in the journal changed, and the next start switches the mode', async () => {
    stack = await startStack();
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    await stack.server.shutdown();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const before = journalDump(stack.dataDir);
      const failed = await failedStart({ ...stack.env, POSITION_MODE: 'per-row', PORT: String(port) });
      expect(failed.started).toBe(false);
      expect(failed.code).toBe(1);
      expect(failed.out).toMatch(/Start-up failed: .*EADDRINUSE/);
      expect(journalDump(stack.dataDir)).toEqual(before);
      expect(existsSync(lockFile())).toBe(false);
    } finally {
      blocker.close();
    }
    const next = await startChildServer({ ...stack.env, POSITION_MODE: 'per-row' });
    try {
      await stack.until(() => journalDump(stack.dataDir).row_books.length === 1, 'the books set up');
      const held = Number(stack.alpaca.positions()[0].qty);
      expect(journalDump(stack.dataDir).row_books).toEqual([expect.objectContaining({ symbol: 'AAPL', timeframe: '15m', qty: held })]);
      expect(next.output()).toMatch(/"event":"positions.mode_switched","from":"shared","to":"per-row"/);
    } finally {
      next.kill('SIGTERM');
      await next.exited;
    }
  });

  it('when the broker cannot list positions for a switch to per-row, then start-up fails saying so, and nothing changed', async () => {
    stack = await startStack();
    await stack.server.shutdown();
    stack.alpaca.setPosition('AAPL', 10, 180);
    stack.alpaca.inject({ method: 'GET', path: /^\/v2\/positions$/, status: 500, times: Infinity });
    const before = journalDump(stack.dataDir);
    const failed = await failedStart({ ...stack.env, POSITION_MODE: 'per-row' }, 60_000);
    expect(failed.started).toBe(false);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(
      /Start-up failed: POSITION_MODE=per-row could not be put in force, so the server did not start \(nothing was changed\)/,
    );
    expect(journalDump(stack.dataDir)).toEqual(before);
    expect(existsSync(lockFile())).toBe(false);
  }, 90_000);
});
