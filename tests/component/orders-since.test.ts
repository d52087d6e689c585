/**
 * Broker.listOrdersSince, the catch-up read after a gap in order events: on
 * Alpaca (the fake, over HTTP, whose `after` filters by submission time as
 * Alpaca's does) and on the paper broker's own book.
 */
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaperBroker } from '../../src/adapters/paper-broker/paper-broker';
import { openDatabase } from '../../src/adapters/sqlite-journal/database';
import type { OrderRequest } from '../../src/domain/types';
import { type FakeAlpaca, startFakeAlpaca } from '../fakes/fake-alpaca';
import { brokerFor } from '../support/alpaca-broker';
import { pause } from '../support/trade-stream';

describe('Alpaca', () => {
  let fake: FakeAlpaca;
  const post = (path: string, body?: unknown, method = 'POST') => fetch(fake.url + path, {
    method, headers: { 'APCA-API-KEY-ID': fake.keyId, 'APCA-API-SECRET-KEY': fake.secretKey, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => (r.status === 204 ? undefined : r.json()) as Promise<Record<string, unknown>>);
  const buy = (clientOrderId: string, symbol = 'AAPL', qty = '1') => post('/v2/orders', { symbol, side: 'buy', qty, type: 'market', time_in_force: 'day', client_order_id: clientOrderId });

  beforeAll(async () => {
    fake = await startFakeAlpaca({ rateLimitPerMinute: false, cash: 1_000_000 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    fake.setFillMode('manual');
  });

  test('when orders were placed before and after the moment, then it lists those placed after and the older ones that changed since, by last change', async () => {
    fake.setPosition('MSFT', 5, 400);
    await buy('unchanged');
    const partly = await buy('partly', 'TSLA', '10');
    await buy('cancelled', 'NVDA');
    await post('/v2/orders', {
      symbol: 'MSFT', side: 'sell', qty: '5', type: 'limit', time_in_force: 'gtc', order_class: 'oco', client_order_id: 'oco',
      take_profit: { limit_price: '450' }, stop_loss: { stop_price: '380' },
    });
    await pause(5);
    const after = new Date();
    await pause(5);
    fake.partialFill('partly', 4);
    await pause(2);
    const nvda = (await post('/v2/orders?status=open&symbols=NVDA', undefined, 'GET')) as unknown as { id: string }[];
    await post(`/v2/orders/${nvda[0].id}`, undefined, 'DELETE');
    await pause(2);
    await buy('placed-after', 'AMD');
    await post('/v2/clock', undefined, 'GET'); // routed now: accepted turns new
    await pause(2);
    fake.setPrice('MSFT', 379); // the OCO's stop leg fills, its parent is cancelled
    const listed = await brokerFor(fake).listOrdersSince(after);
    expect(listed.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['partly', 'partially_filled'], ['cancelled', 'canceled'], ['placed-after', 'new'], ['oco', 'canceled'],
    ]);
    expect(listed.find((o) => o.clientOrderId === 'partly')!.id).toBe(partly.id);
    expect(listed[3].legs).toEqual([expect.objectContaining({ status: 'filled', state: 'filled' })]);
  });

  test('when an older order still open changed without a fill (routed at the open), then it is listed', async () => {
    fake.closeMarket();
    await buy('queued');
    await pause(5);
    const after = new Date();
    await pause(5);
    fake.openMarket();
    const listed = await brokerFor(fake).listOrdersSince(after);
    expect(listed.map((o) => [o.clientOrderId, o.status])).toEqual([['queued', 'new']]);
  });

  test('when an old order filled after the moment but is older than the latest page of closed orders, then the fills find it; long lists are paged', async () => {
    const old = await buy('old-filled');
    await pause(5);
    const after = new Date();
    await pause(5);
    fake.partialFill('old-filled', 1); // all it had: it fills
    for (let i = 0; i < 500; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => buy(`bulk-${i + j}`, 'SPY')));
    }
    await post('/v2/orders', undefined, 'DELETE'); // 500 newer closed orders
    const listed = await brokerFor(fake).listOrdersSince(after);
    expect(listed).toHaveLength(501);
    expect(listed[0]).toMatchObject({ clientOrderId: 'old-filled', state: 'filled' });
    expect(new Set(listed.map((o) => o.id)).size).toBe(501);
    expect(fake.requests.some((r) => r.path === `/v2/orders/${old.id}`)).toBe(true);
    expect(fake.requests.filter((r) => r.path === '/v2/orders' && r.query.status === 'all').length).toBeGreaterThanOrEqual(2);
  });
});

describe('paper broker', () => {
  let dir: string;
  let db: Database.Database;
  let now = new Date('2025-10-06T14:00:00Z');
  const at = (iso: string) => (now = new Date(iso));
  let n = 0;
  const market = (side: 'buy' | 'sell', qty: number, price: number): OrderRequest => ({ symbol: 'AAPL', side, qty, clientOrderId: `tb-p${++n}-open`, referencePrice: price });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orders-since-'));
    db = openDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('when orders filled and exits were placed or ended after the moment, then it lists them by that time, legs nested, without the exit\'s booking order', async () => {
    const broker = new PaperBroker(db, { clock: { now: () => new Date(now), sleep: async () => undefined } });
    at('2025-10-06T14:00:00Z');
    await broker.submitOrder(market('buy', 20, 100));
    const stop = await broker.submitOrder({ symbol: 'AAPL', side: 'sell', qty: 5, clientOrderId: 'tb-p-sl', resting: { type: 'stop', stopPrice: 90 } });
    const oco = await broker.submitOrder({ symbol: 'AAPL', side: 'sell', qty: 10, clientOrderId: 'tb-p-oco', resting: { type: 'oco', limitPrice: 110, stopPrice: 95 } });
    at('2025-10-06T14:05:00Z');
    await broker.submitOrder(market('buy', 1, 101));
    at('2025-10-06T14:06:00Z');
    await broker.markPrice('AAPL', 111); // the OCO's target fills
    at('2025-10-06T14:07:00Z');
    await broker.cancelOrder(stop.id);
    const listed = await broker.listOrdersSince(new Date('2025-10-06T14:01:00Z'));
    expect(listed.map((o) => [o.clientOrderId, o.status])).toEqual([['tb-p2-open', 'filled'], ['tb-p-oco', 'filled'], ['tb-p-sl', 'canceled']]);
    expect(listed[1].id).toBe(oco.id);
    expect(listed[1].legs).toEqual([expect.objectContaining({ status: 'canceled' })]);
    expect(await broker.listOrdersSince(new Date('2025-10-06T14:08:00Z'))).toEqual([]);
  });
});
