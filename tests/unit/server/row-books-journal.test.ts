import Database from 'better-sqlite3';
import { SqliteJournal } from '../../../src/adapters/sqlite-journal/sqlite-journal';
import type { Order } from '../../../src/domain/types';

const order = (over: Partial<Order>): Order => ({
  id: 'broker-1',
  clientOrderId: 'tb-sig1-open',
  symbol: 'AAPL',
  side: 'buy',
  status: 'filled',
  state: 'filled',
  qty: 50,
  filledQty: 50,
  filledAvgPrice: 101.5,
  ...over,
});

describe("the journal's per-row books", () => {
  let journal: SqliteJournal;
  beforeEach(() => {
    journal = new SqliteJournal(new Database(':memory:'), () => 1_000);
  });

  it("when an order of a row fills and is seen again (a retry, a restart), then the row's book moves once, at the fill price", () => {
    journal.recordOrder({
      clientOrderId: 'tb-sig1-open',
      signalId: 'sig1',
      leg: 'open',
      symbol: 'AAPL',
      side: 'buy',
      qty: 50,
      book: '15m',
      meaning: { role: 'entry' },
    });
    journal.updateOrder('tb-sig1-open', order({ state: 'open', status: 'accepted', filledQty: 0, filledAvgPrice: undefined }));
    expect(journal.rowBooks('AAPL')).toEqual([]);
    journal.updateOrder('tb-sig1-open', order({}));
    journal.updateOrder('tb-sig1-open', order({}));
    expect(journal.rowBooks('AAPL')).toEqual([{ symbol: 'AAPL', timeframe: '15m', qty: 50, changedAt: 1_000 }]);
    expect(journal.rowChanges(0)).toEqual([expect.objectContaining({ ref: 'tb-sig1-open', qty: 50, price: 101.5, source: 'fill' })]);
  });

  it('when a sell is cancelled after a partial fill, then only the filled shares move the row', () => {
    journal.recordOrder({
      clientOrderId: 'tb-sig2-scale',
      signalId: 'sig2',
      leg: 'scale',
      symbol: 'AAPL',
      side: 'sell',
      qty: 30,
      book: '30m',
      meaning: { role: 'exit' },
    });
    journal.updateOrder(
      'tb-sig2-scale',
      order({ clientOrderId: 'tb-sig2-scale', side: 'sell', qty: 30, state: 'failed', status: 'canceled', filledQty: 12 }),
    );
    expect(journal.rowBooks('AAPL')).toEqual([expect.objectContaining({ timeframe: '30m', qty: -12 })]);
  });

  it('when an order has no row (shared mode, a flatten), then no book moves', () => {
    journal.recordOrder({
      clientOrderId: 'tb-sig3-open',
      signalId: 'sig3',
      leg: 'open',
      symbol: 'AAPL',
      side: 'buy',
      qty: 5,
      meaning: { role: 'entry' },
    });
    journal.updateOrder('tb-sig3-open', order({ clientOrderId: 'tb-sig3-open' }));
    expect(journal.rowBooks()).toEqual([]);
  });
});
