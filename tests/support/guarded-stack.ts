/**
 * The real server against the fakes, for the door and brake tests. Unlike
 * `stack.ts` its logger masks nothing, so a test can prove that no secret
 * ever reaches a log line; and its clock can be moved (the loss breaker's
 * next session). Requests can be sent from this machine's non-loopback
 * address, so the allowlist meets a real stranger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/shared/clock';
import { memoryLogger } from '../../src/logger';
import type { Clock } from '../../src/ports';
import { buildServer, type TradingServer } from '../../src/server';
import { loadSettings, type Env } from '../../src/settings';
import { startFakeAlpaca, type FakeAlpaca, type FakeAlpacaOptions } from '../fakes/fake-alpaca';
import { startFakeSheets, type FakeSheets } from '../fakes/fake-sheets';
import { alpacaEnv } from './alpaca-broker';
import { configRow, waitUntil } from './sheet-row';
import { createServiceAccount } from './service-account';
import { API_TOKEN, DEFAULT_CONFIG, SECRET, SHEET_ID } from './stack';

export { API_TOKEN, SECRET };

/** A clock running with real time plus an offset the test can move. */
export function shiftedClock(): Clock & { shift(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), sleep: systemClock.sleep, shift: (ms) => void (offset += ms) };
}

/** This machine's first non-loopback IPv4 address, if it has one: a caller that is not loopback. */
export function externalAddress(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

/** How a request is sent: method, body, headers, the API token, and the host to reach the server by. */
export interface Call {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  token?: string;
  /** Reach the server at this address instead of 127.0.0.1 (the source address follows). */
  via?: string;
}

/** A running server with its fakes, unmasked logs and request helpers. */
export interface GuardedStack {
  alpaca: FakeAlpaca;
  sheets: FakeSheets;
  readonly server: TradingServer;
  logs: string[];
  env: Env;
  /** Sends a request; answers status, headers and the parsed JSON (or text). */
  call(path: string, call?: Call): Promise<{ status: number; headers: Headers; body: any }>;
  /** POSTs an alert to /webhook, the secret added unless `secret: false`. */
  signal(body: Record<string, unknown>, call?: Call & { secret?: boolean }): Promise<{ status: number; body: any }>;
  row(symbol: string, timeframe: string): Record<string, string>;
  until(check: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  restart(extra?: Env): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the fakes and the real server with `env` on top of a complete Alpaca + Google setup. */
export async function startGuarded(o: { env?: Env; config?: string[][]; clock?: Clock; alpaca?: FakeAlpacaOptions } = {}): Promise<GuardedStack> {
  const account = createServiceAccount();
  const alpaca = await startFakeAlpaca({ fill: 'immediate', ...o.alpaca });
  for (const [symbol, price] of [['AAPL', 190], ['MSFT', 410], ['TSLA', 250]] as const) alpaca.setPrice(symbol, price);
  const sheets = await startFakeSheets({
    spreadsheetId: SHEET_ID, serviceAccountEmail: account.email, publicKeyPem: account.publicKeyPem,
    tabs: { Config: o.config ?? DEFAULT_CONFIG }, quota: false,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'guarded-'));
  const env: Env = {
    WEBHOOK_SECRET: SECRET, API_TOKEN, DATA_DIR: dataDir,
    ...alpacaEnv(alpaca),
    GOOGLE_SHEET_ID: SHEET_ID, GOOGLE_APPLICATION_CREDENTIALS: account.keyFile, GOOGLE_SHEETS_ROOT_URL: sheets.url,
    PERFORMANCE_INTERVAL_MINUTES: '600',
    ...o.env,
  };
  const logger = memoryLogger([]);
  const boot = async () => {
    const s = await buildServer(loadSettings(env), logger, o.clock);
    await s.start(0);
    return s;
  };
  let server = await boot();
  const call: GuardedStack['call'] = async (path, c = {}) => {
    const base = c.via ? server.url.replace('127.0.0.1', c.via) : server.url;
    const headers: Record<string, string> = { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), ...c.headers };
    const res = await fetch(base + path, { method: c.method ?? (c.body === undefined ? 'GET' : 'POST'), headers, body: c.body });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    alpaca, sheets, env, logs: logger.lines,
    get server() {
      return server;
    },
    call,
    signal: (body, c = {}) =>
      call('/webhook', { ...c, method: 'POST', headers: { 'content-type': 'application/json', ...c.headers }, body: JSON.stringify(c.secret === false ? body : { secret: SECRET, ...body }) }),
    row: (symbol, timeframe) => configRow(sheets, symbol, timeframe),
    until: waitUntil,
    async restart(extra = {}) {
      await server.shutdown();
      Object.assign(env, extra);
      server = await boot();
    },
    async stop() {
      await server.shutdown().catch(() => undefined);
      await Promise.all([alpaca.close(), sheets.close()]);
      account.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
