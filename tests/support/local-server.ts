/**
 * A local-mode server for a test file: a fresh DATA_DIR per test with the
 * Config.csv the test writes, the paper broker behind it, alerts posted with
 * the server's own secret, and the row and position read back.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../src/logger';
import { buildServer, type TradingServer } from '../../src/server';
import { loadSettings } from '../../src/settings';

/** What a local-mode test drives. */
export interface LocalServer {
  /** Writes `configCsv` as Config.csv, then starts the server over the test's DATA_DIR with `env`. */
  start(configCsv: string, env?: Record<string, string>): Promise<void>;
  /** The running server (after `start`). */
  readonly server: TradingServer;
  /** POSTs an alert with the server's secret; `alertDefaults` fill what `body` leaves out. */
  alert(body: Record<string, unknown>): Promise<Response>;
  /** The Config.csv line of the first row, as the bot last wrote it. */
  row(): string;
  /** The paper broker's signed position in `symbol`; 0 when flat. */
  held(symbol: string): Promise<number>;
}

/** Registers the per-test DATA_DIR and shutdown (beforeEach/afterEach) and returns the server's handle. */
export function localServerSuite(prefix: string, alertDefaults: Record<string, unknown>): LocalServer {
  let dataDir = '';
  let server: TradingServer | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(dataDir, 'sheet'));
  });
  afterEach(async () => {
    await server?.shutdown();
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });
  const running = () => {
    if (!server) throw new Error('the local server is not started');
    return server;
  };
  return {
    async start(configCsv, env = {}) {
      writeFileSync(join(dataDir, 'sheet', 'Config.csv'), configCsv);
      server = await buildServer(loadSettings({ DATA_DIR: dataDir, ...env }), memoryLogger());
      await server.start(0);
    },
    get server() {
      return running();
    },
    alert: (body) =>
      fetch(`${running().url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret: running().secret, ...alertDefaults, ...body }),
      }),
    row: () => readFileSync(join(dataDir, 'sheet', 'Config.csv'), 'utf8').split('\n')[1],
    held: async (symbol) => (await running().adapters.broker.getPosition(symbol))?.qty ?? 0,
  };
}
