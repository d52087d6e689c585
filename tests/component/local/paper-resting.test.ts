/** The paper broker's resting exits: held like Alpaca's, triggered by the prices marked from alerts. */
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaperBroker } from '../../../src/adapters/paper-broker/paper-broker';
import { openDatabase } from '../../../src/adapters/sqlite-journal/database';
import { RejectedError } from '../../../src/domain/errors';
import type { OrderRequest, RestingTerms } from '../../../src/domain/types';

let dir: string;
let db: Database.Database;
let broker: PaperBroker;
let n = 0;
const clock = { now: () => new Date('2025-10-06T14:00:00Z'), sleep: async () => {} };

const market = (side: 'buy' | 'sell', qty: number, price: number): OrderRequest => ({
  symbol: 'AAPL',
  side,
  qty,
  clientOrderId: `tb-m${++n}-open`,
  referencePrice: price,
});
const exit = (side: 'buy' | 'sell', qty: number, resting: RestingTerms): OrderRequest => ({
  symbol: 'AAPL',
  side,
  qty,
  clientOrderId: `tb-x${++n}-sl`,
  resting,
});
const held = async () => (await broker.getPosition('AAPL'))?.qty ?? 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paper-resting-'));
  db = openDatabase(dir);
  broker = new PaperBroker(db, { clock });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paper resting exits', () => {
  it('when a close needs shares a resting stop holds, then it is refused with 403 as at Alpaca; after the cancel it fills', async () => {
    await broker.submitOrder(market('buy', 10, 100));
    const stop = await broker.submitOrder(exit('sell', 10, { type: 'stop', stopPrice: 95 }));
    const err = await broker.submitOrder(market('sell', 10, 101)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).message).toBe('insufficient qty available for order (requested: 10, available: 0)');
    await broker.cancelOrder(stop.id);
    expect((await broker.getOrder(stop.id)).status).toBe('canceled');
    await broker.submitOrder(market('sell', 10, 101));
    expect(await held()).toBe(0);
  });

  it('when a marked price reaches an OCO target, then it fills at that price and the stop leg is cancelled', async () => {
    await broker.submitOrder(market('buy', 10, 100));
    const oco = await broker.submitOrder(exit('sell', 10, { type: 'oco', limitPrice: 110, stopPrice: 95 }));
    expect(oco.legs).toHaveLength(1);
    await broker.markPrice('AAPL', 109.99);
    expect(await held()).toBe(10);
    await broker.markPrice('AAPL', 110.5);
    const after = await broker.getOrder(oco.id);
    expect(after).toMatchObject({ state: 'filled', filledAvgPrice: 110.5 });
    expect(after.legs![0].status).toBe('canceled');
    expect(await held()).toBe(0);
    expect(await broker.listOpenOrders()).toEqual([]);
  });

  it('when a short is protected by a trailing buy stop, then it follows the new low and fills on the way back up', async () => {
    await broker.submitOrder(market('sell', 10, 100));
    const trail = await broker.submitOrder(exit('buy', 10, { type: 'trailing_stop', trailPercent: 10 }));
    await broker.markPrice('AAPL', 80); // new low: the stop moves to 88
    await broker.markPrice('AAPL', 87.5);
    expect(await held()).toBe(-10);
    await broker.markPrice('AAPL', 88.2);
    expect(await broker.getOrder(trail.id)).toMatchObject({ state: 'filled', filledAvgPrice: 88.2 });
    expect(await held()).toBe(0);
  });

  it('when a resting exit is not whole shares, then it is refused', async () => {
    await broker.submitOrder(market('buy', 10, 100));
    await expect(broker.submitOrder(exit('sell', 2.5, { type: 'stop', stopPrice: 95 }))).rejects.toThrow(
      'fractional orders must be DAY orders',
    );
  });
});
