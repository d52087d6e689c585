import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALPACA_RULES } from '../../../src/adapters/alpaca/rules';
import { PaperBroker } from '../../../src/adapters/paper-broker/paper-broker';
import { openDatabase } from '../../../src/adapters/sqlite-journal/database';
import { NotFoundError, RejectedError } from '../../../src/domain/errors';
import type { OrderRequest } from '../../../src/domain/types';
import type { Clock } from '../../../src/ports';

/** A clock the test moves by hand. */
function manualClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), sleep: async () => {}, set: (t) => (now = new Date(t)) };
}

let dir: string;
let db: Database.Database;
let clock: ReturnType<typeof manualClock>;
let n = 0;

const order = (symbol: string, side: 'buy' | 'sell', size: { qty?: number; notional?: number }, price?: number): OrderRequest => ({
  symbol,
  side,
  ...size,
  clientOrderId: `sig-${++n}`,
  ...(price === undefined ? {} : { referencePrice: price }),
});

function open(startingCash?: number): PaperBroker {
  db = openDatabase(dir);
  return new PaperBroker(db, { clock, ...(startingCash === undefined ? {} : { startingCash }) });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paper-broker-'));
  clock = manualClock('2025-10-06T14:00:00Z');
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PaperBroker', () => {
  it('when a notional buy arrives with the alert price, then it is filled at once at that price', async () => {
    const broker = open();
    const filled = await broker.submitOrder(order('AAPL', 'buy', { notional: 1000 }, 200));
    expect(filled).toMatchObject({
      symbol: 'AAPL',
      side: 'buy',
      notional: 1000,
      status: 'filled',
      state: 'filled',
      filledQty: 5,
      filledAvgPrice: 200,
    });
    expect(await broker.getPosition('AAPL')).toEqual({
      symbol: 'AAPL',
      qty: 5,
      side: 'long',
      avgEntryPrice: 200,
      marketValue: 1000,
      unrealizedPl: 0,
      currentPrice: 200,
    });
    expect(await broker.getAccount()).toMatchObject({ cash: 99_000, equity: 100_000, buyingPower: 99_000, shortingEnabled: true });
    expect(broker.rules).toEqual(ALPACA_RULES);
  });

  it('when an order has no price, then it is rejected with how to add "price": "{{close}}" to the alert', async () => {
    const broker = open();
    const refused = broker.submitOrder(order('AAPL', 'buy', { notional: 1000 }));
    await expect(refused).rejects.toThrow(RejectedError);
    await expect(refused).rejects.toThrow('"price": "{{close}}"');
    await expect(broker.getLatestPrice('AAPL')).rejects.toThrow('"price": "{{close}}"');
    expect(await broker.findOrderByClientId(`sig-${n}`)).toBeNull();
  });

  it('when orders carried prices, then the latest price is the last one seen, even from a refused order', async () => {
    const broker = open(1000);
    await broker.submitOrder(order('AAPL', 'buy', { qty: 1 }, 200));
    await expect(broker.submitOrder(order('AAPL', 'buy', { qty: 100 }, 210))).rejects.toThrow('insufficient buying power');
    expect(await broker.getLatestPrice('AAPL')).toBe(210);
  });

  it('when one order would flip a long to a short, then it is refused with the qty available', async () => {
    const broker = open();
    await broker.submitOrder(order('AAPL', 'buy', { qty: 5 }, 100));
    await expect(broker.submitOrder(order('AAPL', 'sell', { qty: 8 }, 100))).rejects.toMatchObject({
      name: 'RejectedError',
      status: 403,
      message: 'insufficient qty available for order (requested: 8, available: 5)',
    });
    await broker.submitOrder(order('AAPL', 'sell', { qty: 5 }, 101));
    expect(await broker.getPosition('AAPL')).toBeNull();
  });

  it('when one order would flip a short to a long, then it is refused the same way', async () => {
    const broker = open();
    await broker.submitOrder(order('TSLA', 'sell', { qty: 3 }, 250));
    await expect(broker.submitOrder(order('TSLA', 'buy', { qty: 5 }, 250))).rejects.toThrow(
      'insufficient qty available for order (requested: 5, available: 3)',
    );
    await expect(broker.submitOrder(order('TSLA', 'buy', { notional: 500 }, 250))).rejects.toThrow(RejectedError);
  });

  it('when a short would be fractional or notional, then it is refused like Alpaca does', async () => {
    const broker = open();
    await expect(broker.submitOrder(order('AAPL', 'sell', { qty: 1.5 }, 100))).rejects.toMatchObject({
      status: 403,
      message: 'fractional orders cannot be sold short',
    });
    await expect(broker.submitOrder(order('AAPL', 'sell', { notional: 500 }, 100))).rejects.toThrow(
      'fractional orders cannot be sold short',
    );
    const short = await broker.submitOrder(order('AAPL', 'sell', { qty: 2 }, 100));
    expect(short.filledQty).toBe(2);
    expect(await broker.getPosition('AAPL')).toMatchObject({ qty: -2, side: 'short', avgEntryPrice: 100, marketValue: -200 });
  });

  it('when a long is sold by fractional qty, then it is allowed; a notional sell is not', async () => {
    const broker = open();
    await broker.submitOrder(order('AAPL', 'buy', { notional: 100 }, 300)); // 0.333333333 shares
    await expect(broker.submitOrder(order('AAPL', 'sell', { notional: 50 }, 300))).rejects.toThrow(RejectedError);
    const position = await broker.getPosition('AAPL');
    expect(position?.qty).toBe(0.333333333);
    await broker.submitOrder(order('AAPL', 'sell', { qty: position!.qty }, 310));
    expect(await broker.listPositions()).toEqual([]);
  });

  it('when buying power runs short, then longs are bound by cash and shorts by a 1x margin', async () => {
    const broker = open(5000);
    await expect(broker.submitOrder(order('AAPL', 'buy', { notional: 5000.01 }, 100))).rejects.toMatchObject({
      status: 403,
      message: 'insufficient buying power',
    });
    await expect(broker.submitOrder(order('TSLA', 'sell', { qty: 51 }, 100))).rejects.toThrow('insufficient buying power');
    await broker.submitOrder(order('TSLA', 'sell', { qty: 30 }, 100));
    // equity 5,000 − gross 3,000 = 2,000, though cash is 8,000 after the short sale.
    expect(await broker.getAccount()).toMatchObject({ cash: 8000, equity: 5000, buyingPower: 2000 });
    await expect(broker.submitOrder(order('AAPL', 'buy', { notional: 2500 }, 100))).rejects.toThrow('insufficient buying power');
    await broker.submitOrder(order('AAPL', 'buy', { notional: 2000 }, 100));
    // Closing needs no buying power.
    await broker.submitOrder(order('TSLA', 'buy', { qty: 30 }, 100));
    expect(await broker.getAccount()).toMatchObject({ cash: 3000, equity: 5000, buyingPower: 3000 });
  });

  it('when equity is under $2,000, then shorting is disabled', async () => {
    const broker = open(1500);
    expect((await broker.getAccount()).shortingEnabled).toBe(false);
    await expect(broker.submitOrder(order('AAPL', 'sell', { qty: 1 }, 10))).rejects.toThrow('account is not allowed to short');
  });

  it('when a client_order_id is reused, then the second order is refused and the first can be looked up', async () => {
    const broker = open();
    const first = await broker.submitOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'sig-x-open', referencePrice: 100 });
    await expect(
      broker.submitOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'sig-x-open', referencePrice: 100 }),
    ).rejects.toMatchObject({ name: 'DuplicateOrderError', message: 'client_order_id must be unique' });
    expect(await broker.findOrderByClientId('sig-x-open')).toEqual(first);
    expect(await broker.getOrder(first.id)).toEqual(first);
    await expect(broker.getOrder('nope')).rejects.toThrow(NotFoundError);
    expect(await broker.findOrderByClientId('never-sent')).toBeNull();
    expect(await broker.listOpenOrders()).toEqual([]);
    await broker.cancelAllOrders();
    expect((await broker.getPosition('AAPL'))?.qty).toBe(1);
  });

  it('when lots are added and partly sold, then the average entry and P&L follow FIFO', async () => {
    const broker = open();
    await broker.submitOrder(order('AAPL', 'buy', { qty: 10 }, 100));
    await broker.submitOrder(order('AAPL', 'buy', { qty: 10 }, 110));
    expect((await broker.getPosition('AAPL'))?.avgEntryPrice).toBe(105);
    await broker.submitOrder(order('AAPL', 'sell', { qty: 10 }, 120));
    // FIFO sold the 100 lot: 10 @ 110 remain, worth 1,200 at 120.
    expect(await broker.getPosition('AAPL')).toMatchObject({ qty: 10, avgEntryPrice: 110, marketValue: 1200, unrealizedPl: 100 });
    // 100,000 − 1,000 − 1,100 + 1,200 = 99,100 cash; + 1,200 of shares.
    expect(await broker.getAccount()).toMatchObject({ cash: 99_100, equity: 100_300 });
    broker.recordPrice('AAPL', 95.55);
    expect(await broker.getPosition('AAPL')).toMatchObject({ marketValue: 955.5, unrealizedPl: -144.5, currentPrice: 95.55 });
  });

  it('when fills happen, then listFills returns them oldest first within the window', async () => {
    const broker = open();
    await broker.submitOrder(order('AAPL', 'buy', { qty: 1 }, 100));
    clock.set('2025-10-07T14:00:00Z');
    const sell = await broker.submitOrder(order('AAPL', 'sell', { qty: 1 }, 101));
    await broker.submitOrder(order('MSFT', 'buy', { qty: 0.5 }, 400));
    const all = await broker.listFills(new Date('2025-10-01T00:00:00Z'), new Date('2025-10-08T00:00:00Z'));
    expect(all.map((f) => [f.symbol, f.side, f.qty, f.price, f.time])).toEqual([
      ['AAPL', 'buy', 1, 100, '2025-10-06T14:00:00.000Z'],
      ['AAPL', 'sell', 1, 101, '2025-10-07T14:00:00.000Z'],
      ['MSFT', 'buy', 0.5, 400, '2025-10-07T14:00:00.000Z'],
    ]);
    expect(all[1].orderId).toBe(sell.id);
    expect([...all.map((f) => f.id)].sort()).toEqual(all.map((f) => f.id));
    expect(await broker.listFills(new Date('2025-10-07T00:00:00Z'), new Date('2025-10-08T00:00:00Z'))).toHaveLength(2);
    expect(await broker.getDailyBars('AAPL', new Date('2025-10-01'), new Date('2025-10-08'))).toEqual([]);
  });

  it("when a day passes, then last_equity is the previous day's equity and history has one point a day", async () => {
    const broker = open();
    expect((await broker.getAccount()).lastEquity).toBe(100_000);
    await broker.submitOrder(order('AAPL', 'buy', { qty: 10 }, 100));
    broker.recordPrice('AAPL', 103); // day 1 closes at 100,030
    clock.set('2025-10-07T14:00:00Z');
    broker.recordPrice('AAPL', 98); // day 2: 99,980
    expect(await broker.getAccount()).toMatchObject({ equity: 99_980, lastEquity: 100_030 });
    const history = await broker.getPortfolioHistory(new Date('2025-10-01T00:00:00Z'), new Date('2025-10-07T23:00:00Z'));
    expect(history).toEqual({
      timestamp: [Date.parse('2025-10-06T04:00:00Z') / 1000, Date.parse('2025-10-07T04:00:00Z') / 1000],
      equity: [100_030, 99_980],
      profitLoss: [30, -50],
      baseValue: 100_000,
    });
  });

  it('when asked about the market, then it is always open and every asset is tradable', async () => {
    const broker = open();
    clock.set('2025-10-05T03:00:00Z'); // a Saturday night
    expect(await broker.getClock()).toMatchObject({ isOpen: true, timestamp: '2025-10-05T03:00:00.000Z' });
    expect(await broker.getAsset('AAPL')).toEqual({
      symbol: 'AAPL',
      tradable: true,
      fractionable: true,
      shortable: true,
      easyToBorrow: true,
    });
  });

  it('when the database is reopened, then the book, orders, fills and prices are all still there', async () => {
    let broker = open(50_000);
    const bought = await broker.submitOrder(order('AAPL', 'buy', { qty: 10 }, 100));
    await broker.submitOrder(order('TSLA', 'sell', { qty: 2 }, 250));
    const before = { account: await broker.getAccount(), positions: await broker.listPositions() };
    db.close();
    broker = open(999_999); // the starting cash only applies to a new book
    expect(await broker.getAccount()).toEqual(before.account);
    expect(await broker.listPositions()).toEqual(before.positions);
    expect(await broker.findOrderByClientId(bought.clientOrderId)).toEqual(bought);
    expect(await broker.getLatestPrice('TSLA')).toBe(250);
    expect(await broker.listFills(new Date('2025-10-01'), new Date('2025-10-08'))).toHaveLength(2);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
    }[];
    expect(tables.every((t) => t.name.startsWith('paper_'))).toBe(true);
  });
});
