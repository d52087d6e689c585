/** Local mode writes the Signals log to Signals.csv, with the same columns and the CSV formula guard. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { SIGNALS_COLUMNS } from '../../../src/domain/sheet/signal-row';
import { memoryLogger } from '../../../src/logger';
import { buildServer, type TradingServer } from '../../../src/server';
import { loadSettings } from '../../../src/settings';
import { waitUntil } from '../../support/sheet-row';

let dataDir: string;
let server: TradingServer;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'signals-local-'));
  server = await buildServer(loadSettings({ DATA_DIR: dataDir }), memoryLogger());
  await server.start(0);
});
afterEach(async () => {
  await server?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (body: Record<string, unknown>) =>
  fetch(`${server.url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: server.secret, ...body }),
  });
const signalsCsv = (): string[][] => {
  try {
    return parse(readFileSync(join(dataDir, 'sheet', 'Signals.csv'), 'utf8'), { bom: true, relax_column_count: true });
  } catch {
    return [];
  }
};

describe('Signals.csv in local mode', () => {
  it('when alerts arrive, then Signals.csv gets a row each with the same columns', async () => {
    expect((await post({ action: 'BUY', symbol: 'AAPL', timeframe: '15', price: '190.12', market_position: 'long' })).status).toBe(200);
    expect((await post({ action: 'SELL', symbol: 'ZZZZ', timeframe: '15' })).status).toBe(200);
    expect((await post({ action: 'SELL', symbol: 'AAPL', timeframe: '15', secret: 'not-the-secret' })).status).toBe(401);
    await waitUntil(() => signalsCsv().length === 3 && signalsCsv()[1][6] === 'FILLED', 'two rows in Signals.csv, the first FILLED');
    const [header, buy, ignored] = signalsCsv();
    expect(header).toEqual([...SIGNALS_COLUMNS]);
    expect(buy.slice(1, 7)).toEqual(['AAPL', '15', 'BUY', 'long', '190.12', 'FILLED']);
    expect(buy[9]).toBe('190.12');
    expect(buy[10]).toBe('0.0');
    expect(ignored.slice(1, 8)).toEqual(['ZZZZ', '15', 'SELL', '', '', 'ignored', 'no Config row for ZZZZ 15']);
  });
});
