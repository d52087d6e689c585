/**
 * Local mode and extended hours: the paper broker's market is always open,
 * so its calendar says regular hours all day, and a row with extended_hours
 * trades at 08:00 New York as in the middle of the day (a market order at
 * the alert's price). An order marked extended_hours still meets Alpaca's
 * rules for one: only a DAY limit for whole shares.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { PaperBroker } from '../../../src/adapters/paper-broker/paper-broker';
import { openDatabase } from '../../../src/adapters/sqlite-journal/database';
import { RejectedError } from '../../../src/domain/errors';
import { memoryLogger } from '../../../src/logger';
import type { Clock } from '../../../src/ports';
import { buildServer, type TradingServer } from '../../../src/server';
import { loadSettings } from '../../../src/settings';
import { systemClock } from '../../../src/shared/clock';
import { waitUntil } from '../../support/sheet-row';

let dataDir: string;
let server: TradingServer | undefined;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-extended-'));
  mkdirSync(join(dataDir, 'sheet'));
});
afterEach(async () => {
  await server?.shutdown();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** 08:00 New York on a Wednesday, running with real time from there. */
function eightAm(): Clock {
  const base = DateTime.fromISO('2025-10-08T08:00', { zone: 'America/New_York' }).toMillis();
  const started = Date.now();
  return { now: () => new Date(base + (Date.now() - started)), sleep: systemClock.sleep };
}

describe('local mode with extended_hours', () => {
  it('when an extended_hours row gets a BUY at 08:00 New York, then the paper broker fills it at once at the alert price', async () => {
    writeFileSync(
      join(dataDir, 'sheet', 'Config.csv'),
      'symbol,position_size,active,Time Frame,Order Status,Reason,extended_hours\nAAPL,5000,TRUE,15 Min,,,TRUE\n',
    );
    server = await buildServer(loadSettings({ DATA_DIR: dataDir }), memoryLogger(), eightAm());
    await server.start(0);
    const answer = await fetch(`${server.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: server.secret, action: 'buy', symbol: 'AAPL', timeframe: '15', price: '100' }),
    });
    expect(((await answer.json()) as { status: string }).status).toBe('ORDER SUBMITTED');
    const row = () => readFileSync(join(dataDir, 'sheet', 'Config.csv'), 'utf8').split('\n')[1];
    await waitUntil(
      () => row().includes('FILLED'),
      () => `the row to show FILLED (it says ${row()})`,
    );
    // $5,000 as dollars at $100 (an extended-hours limit would have bought 49 whole shares at $100.10).
    expect((await server.adapters.broker.getPosition('AAPL'))?.qty).toBe(50);
  });
});

describe('the paper broker and extended-hours orders', () => {
  const clock: Clock = { now: () => new Date('2025-10-08T12:00:00Z'), sleep: async () => {} };
  let db: ReturnType<typeof openDatabase> | undefined;
  afterEach(() => db?.close());
  const paper = () => new PaperBroker((db = openDatabase(dataDir)), { clock });
  const ext = { symbol: 'AAPL', side: 'buy' as const, referencePrice: 100, extendedHours: true };

  it('when asked for the day, then its regular hours cover the whole New York date', async () => {
    expect(await paper().getTradingDay('2025-10-08')).toEqual({
      date: '2025-10-08',
      sessionOpen: '2025-10-08T04:00:00.000Z',
      open: '2025-10-08T04:00:00.000Z',
      close: '2025-10-09T04:00:00.000Z',
      sessionClose: '2025-10-09T04:00:00.000Z',
    });
  });

  it("when an extended_hours order is a market order or fractional, then it gets Alpaca's 422; a DAY limit is accepted", async () => {
    const broker = paper();
    const refused = (o: object) => broker.submitOrder({ ...ext, clientOrderId: `x-${Math.random()}`, ...o }).catch((e: unknown) => e);
    expect(await refused({ qty: 2 })).toEqual(new RejectedError('extended hours order must be DAY limit orders', 422));
    expect(await refused({ qty: 2, limitPrice: 100, timeInForce: 'gtc' })).toBeInstanceOf(RejectedError);
    expect(await refused({ qty: 1.5, limitPrice: 100 })).toEqual(new RejectedError('fractional orders cannot be extended hours', 422));
    await expect(broker.submitOrder({ ...ext, qty: 2, limitPrice: 100, clientOrderId: 'ok-1' })).resolves.toMatchObject({ filledQty: 2 });
  });
});
