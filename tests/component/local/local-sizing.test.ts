/** Local mode sizes a percentage of equity from the paper broker's own account ($100,000 to start). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../../src/logger';
import { buildServer, type TradingServer } from '../../../src/server';
import { loadSettings } from '../../../src/settings';
import { waitUntil } from '../../support/sheet-row';

let dataDir: string;
let server: TradingServer;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-sizing-'));
  mkdirSync(join(dataDir, 'sheet'));
});
afterEach(async () => {
  await server?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async (size: string, env: Record<string, string> = {}) => {
  writeFileSync(
    join(dataDir, 'sheet', 'Config.csv'),
    `symbol,position_size,active,Time Frame,Order Status,Reason\nAAPL,${size},TRUE,15 Min,,\n`,
  );
  server = await buildServer(loadSettings({ DATA_DIR: dataDir, ...env }), memoryLogger());
  await server.start(0);
};
const alert = (body: Record<string, unknown>) =>
  fetch(`${server.url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: server.secret, symbol: 'AAPL', timeframe: '15', ...body }),
  });
const row = () => readFileSync(join(dataDir, 'sheet', 'Config.csv'), 'utf8').split('\n')[1];
const held = async () => (await server.adapters.broker.getPosition('AAPL'))?.qty ?? 0;

describe('local mode sizing', () => {
  it("when position_size is 10%, then it buys 10% of the paper account's equity", async () => {
    await start('10%');
    await alert({ action: 'buy', price: '100', id: 's1' });
    await waitUntil(() => row().includes('FILLED'), `the row to show FILLED (it says ${row()})`);
    expect(await held()).toBe(100); // $10,000 at $100
  });

  it('when 25 shares are worth more than MAX_POSITION_USD, then the paper order is cut and the row says so', async () => {
    await start('25 shares', { MAX_POSITION_USD: '1000' });
    await alert({ action: 'sell', price: '100', id: 's2' });
    await waitUntil(() => row().includes('FILLED'), `the row to show FILLED (it says ${row()})`);
    expect(await held()).toBe(-10);
    expect(row()).toContain('capped at MAX_POSITION_USD $1,000');
  });
});
