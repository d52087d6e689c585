/**
 * POSITION_MODE=per-row under the trader's controls: the brakes and POST
 * /flatten act on each row's book, switching position modes hands the
 * position to the rows and back, and Performance reads one line per row.
 */
import { perRowSuite, rowsNet } from '../../support/per-row';
import { API_TOKEN } from '../../support/stack';

const { stack, run, start, row, brokerNet, books } = perRowSuite();

describe('per-row brakes', () => {
  it(
    "when halted and a row's SELL would flip its long, then only that row's " +
      'long is closed, the other row keeps its own, and the row is HALTED',
    async () => {
      await start();
      await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
      await run.step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
      const halted = await stack.call('/halt', { method: 'POST', token: API_TOKEN });
      expect(halted.status).toBe(200);
      await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'HALTED', 0);
      expect(stack.orderLines()).toEqual(['buy 50', 'buy 30', 'sell 30']);
      expect(books()).toEqual({ '15m': 50, '30m': 0 });
      expect(row('15 Min')['Order Status']).toBe('FILLED');
      // While halted, a row that would open is refused and nothing is sent.
      await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'HALTED', 0);
      expect(stack.alpaca.orders).toHaveLength(3);
    },
  );

  it("when halted and a row's exit takes the net across zero, then both legs of that exit go and the row is HALTED, flat", async () => {
    await start();
    await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    await stack.call('/halt', { method: 'POST', token: API_TOKEN });
    // The 15 Min SELL would flip its long to short: its exit (50) crosses the net from 20 to -30; its entry is halted.
    await run.step({ action: 'SELL', timeframe: '15' }, '15 Min', 'HALTED', 0);
    expect(stack.orderLines().slice(-2)).toEqual(['sell 20', 'sell 30']);
    expect(books()).toEqual({ '15m': 0, '30m': -30 });
    expect(row('15 Min').Reason).toMatch(/^closed 50; not opened: trading halted/);
  });

  it('when halted, then a row that would open from flat is refused and nothing is sent', async () => {
    await start();
    await stack.call('/halt', { method: 'POST', token: API_TOKEN });
    await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'HALTED', 0);
    expect(stack.alpaca.orders).toHaveLength(0);
  });
});

describe('per-row flatten', () => {
  it("when POST /flatten closes the symbol, then every row's book is closed at the flatten fill and shows WAITING 0", async () => {
    await start();
    await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    expect((await stack.call('/flatten', { method: 'POST', token: API_TOKEN })).body.status).toBe('flattened');
    expect(books()).toEqual({ '15m': 0, '30m': 0 });
    expect(brokerNet()).toBe(0);
    await stack.until(() => row('15 Min').Position === '0' && row('30 Min').Position === '0', 'Position 0 on both rows');
    expect(row('15 Min')['Order Status']).toBe('WAITING');
    expect(row('30 Min')['Order Status']).toBe('WAITING');
    expect(await stack.server.reconcile()).toBe(0);
  });
});

describe('switching position modes', () => {
  it(
    "when shared positions are switched to per-row, then each symbol's " +
      'position goes to the row of its latest trade, and the log says so',
    async () => {
      await start({ POSITION_MODE: 'shared' });
      await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30', id: 'shared-buy' });
      await stack.until(() => row('30 Min')['Order Status'] === 'FILLED', '30 Min FILLED in shared mode');
      stack.alpaca.setAsset('AAPL', { fractionable: false }); // whole shares from here, as per-row books are
      const held = brokerNet();
      await stack.restart({ POSITION_MODE: 'per-row' });
      expect(books()).toEqual({ '30m': held });
      expect(stack.logs.join('\n')).toMatch(
        /"event":"positions.mode_switched","from":"shared","to":"per-row","assigned":\[\{"symbol":"AAPL","timeframe":"30m","qty":/,
      );
      // The 15 Min row now trades its own book beside it.
      await run.step({ action: 'SELL', timeframe: '15' }, '15 Min', 'FILLED', -50);
      expect(brokerNet()).toBeCloseTo(held - 50, 6);
      expect(brokerNet()).toBeCloseTo(rowsNet(stack), 6);
    },
  );

  it('when per-row is switched back to shared, then the broker position is kept and the books are ignored', async () => {
    await start();
    await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    await stack.restart({ POSITION_MODE: 'shared' });
    expect(stack.logs.join('\n')).toMatch(/"event":"positions.mode_switched","from":"per-row","to":"shared"/);
    expect(brokerNet()).toBe(20);
    // Shared rules again: a BUY on the 30 Min row sees the symbol long and answers ALREADY LONG.
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30', id: 'back-to-shared' });
    await stack.until(() => row('30 Min')['Order Status'] === 'ALREADY LONG', '30 Min ALREADY LONG');
    expect(stack.alpaca.orders).toHaveLength(2);
  });
});

describe('per-row performance', () => {
  it(
    'when two rows of AAPL trade, then the Performance tab has ' + 'one line per (symbol, timeframe), each priced at its own fills',
    async () => {
      await start();
      await run.step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50); // 50 @ 100
      stack.alpaca.setPrice('AAPL', 110);
      await run.step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -27); // 27 short @ 110
      await run.step({ action: 'CLOSE', timeframe: '15' }, '15 Min', 'WAITING', 0); // 50 sold @ 110: +500
      stack.alpaca.setPrice('AAPL', 100);
      const report = (await stack.call('/performance', { token: API_TOKEN })).body as {
        rows: {
          symbol: string;
          totalTrades: number;
          totalPnl: number;
          winRate: number | null;
          openQty: number | null;
          unrealizedPl: number;
        }[];
      };
      expect(report.rows.map((r) => r.symbol)).toEqual(['AAPL 15m', 'AAPL 30m', 'TOTAL']);
      expect(report.rows[0]).toMatchObject({ totalTrades: 1, totalPnl: 500, winRate: 1, openQty: 0 });
      expect(report.rows[1]).toMatchObject({ totalTrades: 0, totalPnl: 0, openQty: -27, unrealizedPl: 270 });
      expect(stack.sheets.tab('Performance')[1][0]).toBe('AAPL 15m');
    },
  );
});
