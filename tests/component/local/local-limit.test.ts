/**
 * Limit orders in local mode: the paper broker fills a limit when an alert's
 * price reaches it (a buy at or below its limit, a sell at or above), rests
 * it otherwise until a later alert's price does or the timeout cancels it,
 * and refuses a limit price off Alpaca's tick.
 */
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
  dataDir = mkdtempSync(join(tmpdir(), 'local-limit-'));
  mkdirSync(join(dataDir, 'sheet'));
});
afterEach(async () => {
  await server?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Local mode with one AAPL 15 Min limit row of 10 shares, priced `offset` percent through the last alert's price. */
const start = async (offset: string, env: Record<string, string> = {}) => {
  writeFileSync(
    join(dataDir, 'sheet', 'Config.csv'),
    'symbol,position_size,active,Time Frame,order_type,limit_offset_pct,Order Status,Reason\n' +
      `AAPL,10 shares,TRUE,15 Min,limit,${offset},,\n`,
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
const working = () => server.adapters.broker.listOpenOrders();

describe('local mode limit orders', () => {
  it("when the alert's price reaches the limit, then the paper broker fills at once at that price", async () => {
    await start('0.1');
    await alert({ action: 'buy', price: '100', id: 'l1' });
    await waitUntil(() => row().includes('FILLED'), `the row to show FILLED (it says ${row()})`);
    expect(await held()).toBe(10);
    expect((await server.adapters.broker.getPosition('AAPL'))?.avgEntryPrice).toBe(100);
  });

  it("when the limit is below the alert's price, then it rests, and a later alert's price at or below it fills it", async () => {
    await start('-1', { LIMIT_TIMEOUT_SECONDS: '60' });
    await alert({ action: 'buy', price: '100', id: 'l2' });
    await waitUntil(async () => (await working()).length === 1, 'the buy limit to rest');
    expect(await working()).toEqual([expect.objectContaining({ type: 'limit', side: 'buy', qty: 10, limitPrice: 99 })]);
    expect(await held()).toBe(0);
    await alert({ action: 'buy', price: '99.5', id: 'l3' }); // a price above the limit: still resting
    expect(await held()).toBe(0);
    await alert({ action: 'close', price: '98.9', id: 'l4', symbol: 'MSFT' }); // another symbol's price moves nothing
    await alert({ action: 'buy', price: '98.9', id: 'l5' });
    await waitUntil(async () => (await held()) === 10, 'the resting limit to fill');
    expect((await server.adapters.broker.getPosition('AAPL'))?.avgEntryPrice).toBe(98.9);
  });

  it('when no alert reaches the limit in LIMIT_TIMEOUT_SECONDS, then it is cancelled and the row is WAITING', async () => {
    await start('-1', { LIMIT_TIMEOUT_SECONDS: '1' });
    await alert({ action: 'buy', price: '100', id: 'l6' });
    await waitUntil(() => row().includes('limit not filled in 1 s'), `the row to say the limit was not filled (it says ${row()})`, 5000);
    expect(row()).toContain('WAITING');
    expect(await working()).toEqual([]);
    expect(await held()).toBe(0);
  });

  it('when a limit price is off the tick, then the paper broker refuses it as Alpaca does', async () => {
    await start('0.1');
    const submit = (limitPrice: number) =>
      server.adapters.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        qty: 1,
        limitPrice,
        referencePrice: 100,
        clientOrderId: `x-${limitPrice}`,
      });
    await expect(submit(100.005)).rejects.toThrow(/sub-penny increment/);
    await expect(submit(100.01)).resolves.toMatchObject({ state: 'filled' });
  });
});
