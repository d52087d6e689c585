/**
 * Reading the Config tab the way a trader fills it: sizes in any locale, and
 * rows that can't trade saying so in the row, in the alert's answer and once
 * in the log. Over HTTP against the fake Sheets and Alpaca servers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../../src/logger';
import { buildServer, type TradingServer } from '../../../src/server';
import { loadSettings } from '../../../src/settings';
import type { CellInput } from '../../fakes/fake-sheets';
import { CONFIG_HEADER, startStack, type Stack } from '../../support/stack';

const HEADER = [...CONFIG_HEADER, 'Reason'];
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const cells = () => stack!.sheets.tab('Config');
const col = (name: string) => HEADER.indexOf(name);
const rowCells = (sheetRow: number) => cells()[sheetRow - 1] ?? [];
const events = (event: string) => stack!.logs.filter((l) => l.includes(`"event":"${event}"`));

describe('position_size in any locale', () => {
  it('when the sheet is German and shows 1500 as "1.500,00" and 5000 as "5.000", then the bot buys $1,500 and $5,000', async () => {
    const config: CellInput[][] = [
      HEADER,
      ['AAPL', { number: 1500, pattern: '#,##0.00' }, true, '15 Min', 'READY', ''],
      ['MSFT', { number: 5000, pattern: '#,##0' }, true, '15 Min', 'READY', ''],
    ];
    stack = await startStack({ sheets: { tabs: { Config: config }, locale: 'de_DE' } });
    expect(cells()[1][1]).toBe('1.500,00'); // what the trader sees, and what a formatted read would give
    expect(cells()[2][1]).toBe('5.000');
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
      status: 'ORDER SUBMITTED',
      amount: 1500,
    });
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body).toMatchObject({
      status: 'ORDER SUBMITTED',
      amount: 5000,
    });
    expect(stack.alpaca.orders.map((o) => [o.symbol, Number(o.notional)])).toEqual([
      ['AAPL', 1500],
      ['MSFT', 5000],
    ]);
    const reads = stack.sheets.requests.filter(
      (r) => r.kind === 'read' && r.method === 'GET' && r.path.includes('/values/') && r.path.includes('Config'),
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.query.get('valueRenderOption') === 'UNFORMATTED_VALUE')).toBe(true);
  });

  it(
    'when position_size is text typed in another style ("1.500,00", "5.000", ' +
      '"5 000"), then the row is FAILED with what to type, and nothing is bought',
    async () => {
      const config: CellInput[][] = [
        HEADER,
        ['AAPL', '1.500,00', true, '15 Min', 'READY', ''],
        ['MSFT', '5.000', true, '15 Min', 'READY', ''],
        ['TSLA', '5 000', true, '15 Min', 'READY', ''],
        ['SPY', '$5,000.50', true, '15 Min', 'READY', ''],
      ];
      stack = await startStack({ sheets: { tabs: { Config: config } } });
      const res = await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' });
      expect(res.body).toMatchObject({
        status: 'FAILED',
        reason: expect.stringMatching(/position_size "5\.000" is not a US-style dollar amount: type the dollars as a plain number/),
      });
      await stack.until(() => [2, 3, 4].every((r) => rowCells(r)[col('Order Status')] === 'FAILED'), 'three rows FAILED');
      expect(rowCells(2)[col('Reason')]).toMatch(/"1\.500,00" is not a US-style dollar amount/);
      expect(rowCells(4)[col('Reason')]).toMatch(/"5 000"/);
      expect(rowCells(5)[col('Order Status')]).toBe('READY');
      expect((await stack.signal({ action: 'BUY', symbol: 'SPY', timeframe: '15' })).body).toMatchObject({
        status: 'ORDER SUBMITTED',
        amount: 5000.5,
      });
      expect(stack.alpaca.orders.map((o) => o.symbol)).toEqual(['SPY']);
    },
  );
});

describe('rows that cannot trade', () => {
  const config: CellInput[][] = [
    HEADER,
    ['AAPL', 5000, true, '', 'READY', ''],
    ['MSFT', 5000, true, '15 Min', 'READY', ''],
    ['MSFT', 2000, true, '15', 'READY', ''],
    ['TSLA', 1000, true, '15 Min', 'READY', ''],
  ];

  it(
    'when a row has a blank Time Frame or repeats a symbol and Time Frame, then each ' +
      'such row shows FAILED with the reason, its alert answers the same, and nothing trades',
    async () => {
      stack = await startStack({ sheets: { tabs: { Config: config } } });
      const blank = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
      expect(blank.body).toMatchObject({
        status: 'FAILED',
        reason: "Time Frame is blank: type the chart's timeframe, e.g. 15 Min, 1 Hour or 1 Day",
      });
      const repeat = await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' });
      expect(repeat.body).toMatchObject({
        status: 'FAILED',
        reason: 'MSFT 15 Min is on rows 3 and 4: keep one row per symbol and Time Frame',
      });
      await stack.until(() => [2, 3, 4].every((r) => rowCells(r)[col('Order Status')] === 'FAILED'), 'rows 2-4 FAILED');
      expect(rowCells(2)[col('Reason')]).toBe(blank.body.reason);
      expect(rowCells(3)[col('Reason')]).toBe(repeat.body.reason);
      expect(rowCells(4)[col('Reason')]).toBe(repeat.body.reason);
      expect(rowCells(5)[col('Order Status')]).toBe('READY');
      expect(stack.alpaca.orders).toHaveLength(0);
      expect((await stack.signal({ action: 'BUY', symbol: 'TSLA', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    },
  );

  it('when the tab is read again and again, then each problem is logged and posted once, and again only after it changes', async () => {
    stack = await startStack({ sheets: { tabs: { Config: config } } });
    for (let i = 0; i < 4; i++) {
      await stack.signal({ action: 'CLOSE', symbol: 'TSLA', timeframe: '15', id: `r${i}` });
      await new Promise((r) => setTimeout(r, 30));
    }
    await stack.until(() => rowCells(2)[col('Order Status')] === 'FAILED', 'AAPL row FAILED');
    expect(events('config.row_problem')).toHaveLength(3);
    const writes = () => stack!.sheets.requests.filter((r) => r.kind === 'write');
    const writesBefore = writes().length;
    for (let i = 4; i < 7; i++) await stack.signal({ action: 'CLOSE', symbol: 'TSLA', timeframe: '15', id: `r${i}` });
    await new Promise((r) => setTimeout(r, 1500));
    expect(events('config.row_problem')).toHaveLength(3);
    const failedPosts = writes()
      .slice(writesBefore)
      .filter((r) => JSON.stringify(r.body).includes('FAILED'));
    expect(failedPosts).toHaveLength(0);
    // The trader types a Time Frame that is still wrong: that is a change, said once more.
    stack.sheets.setTab('Config', [HEADER, ['AAPL', 5000, true, '15 Mins please', 'FAILED', 'Time Frame is blank'], ...config.slice(2)]);
    await stack.signal({ action: 'CLOSE', symbol: 'TSLA', timeframe: '15', id: 'r9' });
    await stack.until(() => /"15 Mins please" is not understood/.test(String(rowCells(2)[col('Reason')])), 'new reason in the row');
    expect(events('config.row_problem').filter((l) => l.includes('15 Mins please'))).toHaveLength(1);
  });

  it('when the server restarts and the row already shows the problem, then it is not rewritten', async () => {
    stack = await startStack({ sheets: { tabs: { Config: config } } });
    await stack.signal({ action: 'CLOSE', symbol: 'TSLA', timeframe: '15' });
    await stack.until(() => rowCells(3)[col('Order Status')] === 'FAILED' && rowCells(2)[col('Order Status')] === 'FAILED', 'rows FAILED');
    const stamp = rowCells(2)[col('Last Updated')];
    await stack.restart();
    await stack.signal({ action: 'CLOSE', symbol: 'TSLA', timeframe: '15', id: 'after' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(rowCells(2)[col('Last Updated')]).toBe(stamp);
  });
});

describe('the local CSV sheet', () => {
  let dataDir: string;
  let server: TradingServer;
  afterEach(async () => {
    await server?.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a size is typed "1.500,00" in Config.csv, then that row is FAILED with what to type, as in the Google Sheet', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'csv-size-'));
    const logger = memoryLogger();
    server = await buildServer(loadSettings({ DATA_DIR: dataDir }), logger);
    await server.start(0);
    const file = join(dataDir, 'sheet', 'Config.csv');
    writeFileSync(
      file,
      'symbol,position_size,active,Time Frame,Order Status,Last ' +
        'Updated,Reason\r\nAAPL,"1.500,00",TRUE,15 Min,READY,,\r\nMSFT,"$1,500",TRUE,15 Min,READY,,\r\n',
    );
    const post = (symbol: string) =>
      fetch(`${server.url}/webhook`, {
        method: 'POST',
        body: JSON.stringify({ action: 'BUY', symbol, timeframe: '15', price: '100', secret: server.secret }),
      }).then((r) => r.json() as Promise<any>);
    expect(await post('AAPL')).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/"1\.500,00" is not a US-style dollar amount/),
    });
    expect(await post('MSFT')).toMatchObject({ status: 'ORDER SUBMITTED', amount: 1500 });
    const deadline = Date.now() + 5000;
    while (!/AAPL,"1\.500,00",TRUE,15 Min,FAILED/.test(readFileSync(file, 'utf8')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(file, 'utf8')).toMatch(/AAPL,"1\.500,00",TRUE,15 Min,FAILED,[^,]+,"?position_size ""1\.500,00"" is not a US-style/);
  });
});
