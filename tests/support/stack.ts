/**
 * Boots the real server against the wire-level fakes, configured the way a
 * user would: through environment settings (APCA_API_BASE_URL,
 * GOOGLE_SHEETS_ROOT_URL, …). Tests drive it over real HTTP and read the
 * fakes through the views in stack-views.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, memoryLogger } from '../../src/logger';
import type { Clock } from '../../src/ports';
import { buildServer, type TradingServer } from '../../src/server';
import { loadSettings, type Env } from '../../src/settings';
import { startFakeAlpaca, type FakeAlpaca, type FakeAlpacaOptions } from '../fakes/fake-alpaca';
import { startFakeSheets, type FakeSheets, type FakeSheetsOptions } from '../fakes/fake-sheets';
import { alpacaEnv } from './alpaca-broker';
import { callServer, type Answer, type Call } from './server-call';
import { configRow, waitUntil } from './sheet-row';
import { createServiceAccount, type TestServiceAccount } from './service-account';
import { stackViews, type StackViews } from './stack-views';

export const SECRET = 'test-webhook-secret-123';
export const API_TOKEN = 'test-api-token-4567890';
export const SHEET_ID = 'sheet-under-test';

/** The Config tab most tests start from. */
export const CONFIG_HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated'];
export const DEFAULT_CONFIG: string[][] = [
  CONFIG_HEADER,
  ['AAPL', '$5,000', 'TRUE', '15 Min', 'READY', ''],
  ['AAPL', '$5,000', 'TRUE', '1 Hour', 'READY', ''],
  ['MSFT', '5000', 'TRUE', '15 Min', 'READY', ''],
  ['TSLA', '$2,000', 'FALSE', '15 Min', 'READY', ''],
];

/** What a stack starts with. */
export interface StackOptions {
  config?: string[][];
  alpaca?: FakeAlpacaOptions;
  sheets?: Partial<FakeSheetsOptions>;
  /** Extra or overriding settings. */
  env?: Env;
  /** Keep DATA_DIR from an earlier stack (a restart). */
  dataDir?: string;
  /** Discard log lines instead of keeping them (benchmarks). */
  quiet?: boolean;
  /** Keep log lines as written, secrets unmasked, so a test can prove none reaches a line (default: masked). */
  unmasked?: boolean;
  /** The server's clock (default: the system's). */
  clock?: Clock;
}

/** A running stack: fakes, the real server, and helpers. */
export interface Stack extends StackViews {
  alpaca: FakeAlpaca;
  sheets: FakeSheets;
  readonly server: TradingServer;
  logs: string[];
  env: Env;
  dataDir: string;
  /** Sends a request to the server; answers status, headers and the parsed JSON (or text). */
  call(path: string, call?: Call): Promise<Answer>;
  /** POSTs an alert to /webhook, the secret added unless `secret: false`. */
  signal(body: Record<string, unknown>, call?: Call & { secret?: boolean }): Promise<Answer>;
  /** The Config row for (symbol, timeframe label) as a header→cell map. */
  row(symbol: string, timeframe: string): Record<string, string>;
  /** Waits until `check` holds (polling), or fails with `what`. */
  until(check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs?: number): Promise<void>;
  /** Stops the server (gracefully) and rebuilds it on the same data dir and fakes; `whileDown` runs in between. */
  restart(env?: Env, whileDown?: () => void | Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the fakes and the real server; call `stop()` in afterEach. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const account: TestServiceAccount = createServiceAccount();
  const alpaca = await startFakeAlpaca({ fill: 'immediate', ...options.alpaca });
  for (const [symbol, price] of [
    ['AAPL', 190],
    ['MSFT', 410],
    ['TSLA', 250],
    ['SPY', 500],
  ] as const)
    alpaca.setPrice(symbol, price);
  const sheets = await startFakeSheets({
    spreadsheetId: SHEET_ID,
    serviceAccountEmail: account.email,
    publicKeyPem: account.publicKeyPem,
    tabs: { Config: options.config ?? DEFAULT_CONFIG },
    ...options.sheets,
  });
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'trading-bot-'));
  const env: Env = {
    WEBHOOK_SECRET: SECRET,
    API_TOKEN,
    DATA_DIR: dataDir,
    ...alpacaEnv(alpaca),
    GOOGLE_SHEET_ID: SHEET_ID,
    GOOGLE_APPLICATION_CREDENTIALS: account.keyFile,
    GOOGLE_SHEETS_ROOT_URL: sheets.url,
    PERFORMANCE_INTERVAL_MINUTES: '600',
    ...options.env,
  };
  const logger = options.quiet
    ? Object.assign(
        createLogger(() => undefined),
        { lines: [] as string[] },
      )
    : memoryLogger(options.unmasked ? [] : [SECRET, API_TOKEN, alpaca.secretKey]);
  const boot = async (e: Env) => {
    const s = await buildServer(loadSettings(e), logger, options.clock);
    await s.start(0);
    return s;
  };
  let server = await boot(env);
  const call: Stack['call'] = (path, c) => callServer(server.url, path, c);
  const row: Stack['row'] = (symbol, timeframe) => configRow(sheets, symbol, timeframe);

  return {
    alpaca,
    sheets,
    env,
    dataDir,
    get server() {
      return server;
    },
    logs: logger.lines,
    call,
    signal: (body, c = {}) =>
      call('/webhook', {
        ...c,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...c.headers },
        body: JSON.stringify(c.secret === false ? body : { secret: SECRET, ...body }),
      }),
    row,
    until: waitUntil,
    ...stackViews(alpaca, row),
    async restart(extra = {}, whileDown) {
      await server.shutdown();
      await whileDown?.();
      Object.assign(env, extra);
      server = await boot(env);
    },
    async stop() {
      await server.shutdown().catch(() => undefined);
      await Promise.all([alpaca.close(), sheets.close()]);
      account.cleanup();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
