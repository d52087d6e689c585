/**
 * POSITION_MODE=per-row over two rows of one symbol: each row keeps its own
 * book, the broker holds the net. After every step the broker's net equals
 * the sum of the rows, and no single order crosses zero.
 */
import { PER_ROW_HEADER, perRowSuite, rowsNet } from '../../support/per-row';
import { API_TOKEN } from '../../support/stack';

const { stack, run, start, row, brokerNet, books } = perRowSuite();

describe('per-row positions', () => {
  it(
    'when two rows of AAPL trade opposite sides, cross zero and close ' +
      'in turn, then each row holds its own book and the broker the net',
    async () => {
      await start();
      await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
      // Opposite rows: the 30 Min SELL shorts its own 30 shares; the 15 Min row keeps its long and its FILLED.
      await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
      expect(books()).toEqual({ '15m': 50, '30m': -30 });
      expect(brokerNet()).toBe(20);
      expect(row('15 Min')['Order Status']).toBe('FILLED');
      expect(row('15 Min').Position).toBe('50');
      // Each row answers for its own side.
      await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'ALREADY LONG', 50);
      await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'ALREADY SHORT', -30);
      // A row closing while the other holds: the net goes from 20 to -30 across zero, in two legs.
      await run.step({ action: 'CLOSE', timeframe: '15' }, '15 Min', 'WAITING', 0);
      expect(stack.orderLines()).toEqual(['buy 50', 'sell 30', 'sell 20', 'sell 30']);
      expect(brokerNet()).toBe(-30);
      await run.step({ action: 'SELL', timeframe: '15' }, '15 Min', 'FILLED', -50);
      expect(brokerNet()).toBe(-80);
      // The 30 Min row flips long: its 60 shares cross nothing (-80 to -20), one order.
      await run.step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
      expect(stack.orderLines().slice(-1)).toEqual(['buy 60']);
      // The 15 Min row flips long: -20 to 80 crosses zero, so it closes to flat first, then opens.
      await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
      expect(stack.orderLines().slice(-2)).toEqual(['buy 20', 'buy 80']);
      expect(books()).toEqual({ '15m': 50, '30m': 30 });
      expect(row('30 Min')['Order Status']).toBe('FILLED');
      // 50 shares sold by hand: the most recently changed row (15 Min) gives way.
      run.outside(30);
      expect(await stack.server.reconcile()).toBe(1);
      expect(books()).toEqual({ '15m': 0, '30m': 30 });
      await stack.until(() => row('15 Min')['Order Status'] === 'WAITING', '15 Min WAITING');
      expect(row('15 Min').Reason).toBe('the broker holds 30 AAPL: row reduced from 50 to 0');
      expect(row('15 Min').Position).toBe('0');
      expect(row('30 Min')['Order Status']).toBe('FILLED');
    },
  );

  it("when both rows' alerts arrive at the same moment, then they trade one after the other and the net is their sum", async () => {
    await start();
    await Promise.all([
      stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'race-1' }),
      stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'race-2' }),
      stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15', id: 'race-3' }),
    ]);
    await stack.until(
      () => stack.server.ctx.journal.workingSignals().length === 0 && stack.server.ctx.journal.unfinishedOrders().length === 0,
      'all settled',
    );
    run.expectNoOrderCrossesZero();
    expect(books()['30m']).toBe(-30);
    expect(brokerNet()).toBe(rowsNet(stack));
  });

  it('when GET /positions is asked in per-row mode, then each row is shown beside the broker net', async () => {
    await start();
    await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    const body = (await stack.call('/positions', { token: API_TOKEN })).body as Record<string, unknown>[];
    expect(body).toEqual([
      expect.objectContaining({ symbol: 'AAPL', qty: 20, side: 'long', rows: { '15m': 50, '30m': -30 }, rows_net: 20 }),
    ]);
  });

  it("when the rows net to zero and the broker holds nothing, then a row closing opens the other row's side at the broker", async () => {
    await start();
    await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await run.step({ action: 'SELL', timeframe: '30', market_position: 'short' }, '30 Min', 'FILLED', -30);
    await run.step({ action: 'CLOSE', timeframe: '15' }, '15 Min', 'WAITING', 0);
    expect(brokerNet()).toBe(-30);
    await run.step({ action: 'BUY', timeframe: '30', market_position: 'flat' }, '30 Min', 'WAITING', 0);
    expect(brokerNet()).toBe(0);
    expect(stack.alpaca.positions()).toEqual([]);
  });

  it(
    'when a position is closed outside the bot, then reconcile shrinks ' + 'the rows of the reduced side, newest first, with one log line',
    async () => {
      await start();
      await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
      await run.step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
      run.outside(40); // 40 of the 80 shares sold by hand
      expect(await stack.server.reconcile()).toBe(2);
      expect(books()).toEqual({ '15m': 40, '30m': 0 });
      await stack.until(
        () => row('30 Min')['Order Status'] === 'WAITING' && row('15 Min').Position === '40',
        'rows corrected in the sheet',
      );
      expect(row('30 Min').Reason).toBe('the broker holds 40 AAPL: row reduced from 30 to 0');
      expect(row('15 Min')['Order Status']).toBe('ALREADY LONG');
      expect(stack.logs.filter((l) => l.includes('reconcile.rows_corrected'))).toHaveLength(1);
      expect(await stack.server.reconcile()).toBe(0);
      run.outside(0); // then closed entirely
      expect(await stack.server.reconcile()).toBe(1);
      await stack.until(() => row('15 Min')['Order Status'] === 'WAITING', '15 Min WAITING');
      expect(row('15 Min').Reason).toBe('the broker holds no AAPL: row reduced from 40 to 0');
      expect(brokerNet()).toBe(rowsNet(stack));
      expect(stack.alpaca.orders).toHaveLength(2); // reconcile never trades
      // The next signal plans from the corrected book.
      await run.step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
      expect(stack.orderLines().slice(-1)).toEqual(['buy 30']);
    },
  );

  it('when the same alert arrives twice, then the row moves once and one order is sent', async () => {
    await start();
    const first = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'alert-1' });
    const again = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'alert-1' });
    expect(first.body.status).toBe('ORDER SUBMITTED');
    expect(again.body.status).toBe('duplicate');
    await stack.until(() => row('30 Min').Position === '-30', 'Position -30');
    expect(stack.orderLines()).toEqual(['sell 30']);
    expect(books()).toEqual({ '30m': -30 });
    expect(brokerNet()).toBe(-30);
  });

  it(
    'when the bot restarts between the two legs of a net crossing ' + 'zero, then the opening leg completes and the row owns both fills',
    async () => {
      await start({ FLIP_FILL_TIMEOUT_SECONDS: '1', SHUTDOWN_TIMEOUT_SECONDS: '1' });
      await run.step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
      stack.alpaca.setFillMode('manual');
      expect((await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
      await new Promise((r) => setTimeout(r, 1200));
      await stack.restart({}, () => {
        stack.alpaca.fillOpenOrders();
        stack.alpaca.setFillMode('immediate');
      });
      await stack.until(() => row('15 Min')['Order Status'] === 'FILLED' && row('15 Min').Position === '-50', '15 Min FILLED -50', 15_000);
      expect(stack.orderLines()).toEqual(['buy 30', 'sell 30', 'sell 20']);
      expect(books()).toEqual({ '15m': -50, '30m': 30 });
      expect(brokerNet()).toBe(-20);
      run.expectNoOrderCrossesZero();
    },
  );

  it('when a row is sized under one share, then it is FAILED and nothing is sent', async () => {
    await start({}, { config: [PER_ROW_HEADER, ['AAPL', '50', 'TRUE', '15 Min', '', '', '']] });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.until(() => row('15 Min')['Order Status'] === 'FAILED', 'FAILED');
    expect(row('15 Min').Reason).toMatch(/less than 1 share/);
    expect(stack.alpaca.orders).toHaveLength(0);
  });
});

describe('per-row working orders (market closed, OFF_HOURS_POLICY=queue)', () => {
  const queued = { OFF_HOURS_POLICY: 'queue', FLIP_FILL_TIMEOUT_SECONDS: '1' };

  it('when a row BUYs then CLOSEs while its buy is queued, then the CLOSE cancels that buy, and at the open nothing is held', async () => {
    await start(queued, { alpaca: { marketOpen: false } });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'w1' })).body.status).toBe('ORDER SUBMITTED');
    const close = await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'w2' });
    expect(close.body).toMatchObject({ status: 'WAITING', reason: 'cancelled 1 working order; already flat' });
    stack.alpaca.openMarket();
    await new Promise((r) => setTimeout(r, 200));
    expect(stack.alpaca.positions()).toEqual([]);
    expect(stack.orderLines(true)).toEqual(['buy 50 canceled']);
    expect(rowsNet(stack)).toBe(0);
  });

  it(
    "when one row SELLs against another row's queued BUY, then the change nets out " +
      'inside the symbol at the latest price and only the difference reaches the broker',
    async () => {
      await start(queued, { alpaca: { marketOpen: false } });
      expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'n1' })).body.status).toBe('ORDER SUBMITTED');
      const sell = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'n2' });
      expect(sell.body).toMatchObject({ status: 'FILLED', reason: 'netted inside AAPL: no order needed' });
      // The queued buy 50 is replaced by a buy 20 for the 15 Min row: no opposite order, so no wash trade.
      expect(stack.orderLines(true)).toEqual(['buy 50 canceled', 'buy 20 accepted']);
      expect(books()).toEqual({ '15m': 30, '30m': -30 });
      await stack.until(() => row('30 Min').Position === '-30' && row('30 Min')['Order Status'] === 'FILLED', '30 Min FILLED -30');
      stack.alpaca.setPrice('AAPL', 101);
      stack.alpaca.openMarket();
      await stack.until(() => row('15 Min')['Order Status'] === 'FILLED' && row('15 Min').Position === '50', '15 Min FILLED 50');
      expect(books()).toEqual({ '15m': 50, '30m': -30 });
      expect(brokerNet()).toBe(20);
      // The netted shares are priced at the latest price when they netted; the resent 20 at their fill.
      const changes = stack.server.ctx.journal.rowChanges(0).map((c) => `${c.timeframe} ${c.qty} @ ${c.price} ${c.source}`);
      expect(changes).toEqual(['15m 30 @ 100 netted', '30m -30 @ 100 netted', '15m 20 @ 101 fill']);
    },
  );
});
