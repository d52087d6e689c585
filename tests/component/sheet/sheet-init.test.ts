/**
 * `npm run sheet:init` as a real process against the fake Sheets (the real
 * googleapis client over HTTP), and on the local CSV sheet: what it creates,
 * that it never touches the trader's rows, and that a re-run changes nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROL_NAMES, CONTROLS_HEADER } from '../../../src/domain/sheet/controls';
import { PERFORMANCE_COLUMNS } from '../../../src/domain/performance/performance';
import { POSITIONS_COLUMNS } from '../../../src/domain/sheet/positions-table';
import { CONFIG_COLUMNS, DIRECTION_CHOICES, TIMEFRAME_CHOICES } from '../../../src/domain/sheet/sheet-layout';
import { SIGNALS_COLUMNS } from '../../../src/domain/sheet/signal-row';
import { startFakeSheets, type FakeSheets } from '../../fakes/fake-sheets';
import { type EntryRun, runEntry, writeEnvFile } from '../../support/child-server';
import { createServiceAccount, type TestServiceAccount } from '../../support/service-account';
import { SHEET_ID } from '../../support/stack';

jest.setTimeout(60_000);

let sheets: FakeSheets;
let account: TestServiceAccount;
let dir: string;

beforeAll(async () => {
  account = createServiceAccount();
  sheets = await startFakeSheets({
    spreadsheetId: SHEET_ID,
    serviceAccountEmail: account.email,
    publicKeyPem: account.publicKeyPem,
    tabs: { Sheet1: [] },
  });
});
afterAll(async () => {
  await sheets.close();
  account.cleanup();
});
beforeEach(() => {
  sheets.reset();
  dir = mkdtempSync(join(tmpdir(), 'sheet-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs sheet:init with an env file holding `settings`; resolves with its exit code and output. */
function sheetInit(settings: Record<string, string>): Promise<EntryRun> {
  return runEntry('src/sheet-init.ts', ['--env-file', writeEnvFile(join(dir, 'env'), settings)], { cwd: dir });
}

const google = () => ({
  GOOGLE_SHEET_ID: SHEET_ID,
  GOOGLE_APPLICATION_CREDENTIALS: account.keyFile,
  GOOGLE_SHEETS_ROOT_URL: sheets.url,
  DATA_DIR: join(dir, 'data'),
});
const writes = () => sheets.requests.filter((r) => r.kind === 'write' && r.status === 200);
const column = (tab: string, name: string) => sheets.tab(tab)[0].indexOf(name) + 1;
const validationAt = (tab: string, row: number, col: number) => sheets.layout(tab).validations.get(`${row},${col}`);
const formatAt = (tab: string, row: number, col: number) => sheets.layout(tab).formats.get(`${row},${col}`);
const colourRules = (tab: string) =>
  sheets
    .layout(tab)
    .conditionalFormats.map((r: any) => [r.booleanRule.condition.values[0].userEnteredValue, r.booleanRule.format.backgroundColor]);

describe('npm run sheet:init on the Google Sheet', () => {
  it(
    'when the sheet is new, then it creates the tabs, headers, checkbox, drop-downs, ' +
      'dollars, frozen bold header and colours in one batchUpdate plus one value write',
    async () => {
      const { code, out } = await sheetInit(google());
      expect(code).toBe(0);
      expect(sheets.tabs()).toEqual(['Sheet1', 'Config', 'Performance', 'Signals', 'Positions', 'Controls']);
      expect(sheets.tab('Config')).toEqual([[...CONFIG_COLUMNS]]);
      expect(sheets.tab('Performance')).toEqual([[...PERFORMANCE_COLUMNS]]);
      expect(sheets.tab('Signals')).toEqual([[...SIGNALS_COLUMNS]]);
      expect(sheets.tab('Positions')).toEqual([[...POSITIONS_COLUMNS]]);
      // The Controls tab: one row per control, name in A; Halt's value is an unticked checkbox, and no other cell is.
      const controls = sheets.tab('Controls');
      expect(controls[0]).toEqual([...CONTROLS_HEADER]);
      expect(controls.slice(1).map((r) => r[0])).toEqual([...CONTROL_NAMES]);
      expect(controls[1][1]).toBe('FALSE');
      expect(validationAt('Controls', 2, 2)).toEqual({ condition: { type: 'BOOLEAN' } });
      expect([...sheets.layout('Controls').validations.keys()]).toEqual(['2,2']);

      expect(validationAt('Config', 2, column('Config', 'active'))).toEqual({ condition: { type: 'BOOLEAN' } });
      expect(validationAt('Config', 1000, column('Config', 'active'))?.condition).toEqual({ type: 'BOOLEAN' });
      expect(validationAt('Config', 1, column('Config', 'active'))).toBeUndefined();
      expect(validationAt('Config', 2, column('Config', 'Time Frame'))).toMatchObject({
        condition: { type: 'ONE_OF_LIST', values: TIMEFRAME_CHOICES.map((v) => ({ userEnteredValue: v })) },
        strict: false,
        showCustomUi: true,
      });
      expect(validationAt('Config', 2, column('Config', 'direction'))).toMatchObject({
        condition: { type: 'ONE_OF_LIST', values: DIRECTION_CHOICES.map((v) => ({ userEnteredValue: v })) },
        strict: false,
      });
      expect(validationAt('Config', 2, column('Config', 'order_type'))).toMatchObject({
        condition: { type: 'ONE_OF_LIST', values: ['market', 'limit'].map((v) => ({ userEnteredValue: v })) },
        strict: false,
      });
      expect(formatAt('Config', 2, column('Config', 'position_size'))).toEqual({
        numberFormat: { type: 'CURRENCY', pattern: '"$"#,##0.00' },
      });
      expect(sheets.layout('Config').frozenRowCount).toBe(1);
      for (let c = 1; c <= CONFIG_COLUMNS.length; c++) expect(formatAt('Config', 1, c)).toEqual({ textFormat: { bold: true } });
      expect(colourRules('Config').map(([text]) => text)).toEqual(
        expect.arrayContaining(['FILLED', 'FAILED', 'HALTED', 'ORDER SUBMITTED', 'WAITING']),
      );
      const statusColumn = column('Config', 'Order Status') - 1;
      for (const rule of sheets.layout('Config').conditionalFormats as any[]) {
        expect(rule.ranges).toEqual([
          expect.objectContaining({ startRowIndex: 1, startColumnIndex: statusColumn, endColumnIndex: statusColumn + 1 }),
        ]);
      }

      expect(writes().map((r) => r.path.replace(/^\/v4\/spreadsheets\/[^/:]+/, ''))).toEqual([':batchUpdate', '/values:batchUpdate']);
      expect((writes()[1].body as { valueInputOption: string }).valueInputOption).toBe('RAW');
      const lines = out.split('\n').filter((l) => l.startsWith('  '));
      expect(lines).toEqual(
        expect.arrayContaining([
          '  Config: created the tab',
          '  Performance: created the tab',
          '  Signals: created the tab',
          '  Positions: created the tab',
          '  Controls: created the tab',
          '  Controls: added the controls Halt, Flatten, Bot alive, Mode, Order events, Halted since',
          '  Controls: Halt is a checkbox',
          '  Config: active is a checkbox',
          '  Config: header row frozen',
          '  Config: header row bold',
          '  Config: Order Status FILLED shows green',
        ]),
      );
      expect(out).not.toMatch(/nothing to do/);
    },
  );

  it('when it runs a second time, then it says "nothing to do" and writes nothing: no duplicate tabs, rules or columns', async () => {
    await sheetInit(google());
    const before = { tabs: sheets.tabs(), rules: sheets.layout('Config').conditionalFormats.length, config: sheets.tab('Config') };
    const writesBefore = writes().length;
    const { code, out } = await sheetInit(google());
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}nothing to do$/m);
    expect(writes().length).toBe(writesBefore);
    expect({ tabs: sheets.tabs(), rules: sheets.layout('Config').conditionalFormats.length, config: sheets.tab('Config') }).toEqual(before);
  });

  it(
    "when the Config tab already holds the trader's rows, then only the missing columns are added at the end " +
      'and no row is changed, moved or removed',
    async () => {
      const rows = [
        ['Notes: my bot', '', '', ''],
        ['', '', '', ''],
        ['Time Frame', 'Ticker', 'active', 'position_size', 'Order Status', 'my notes'],
        ['15 Min', 'AAPL', 'TRUE', '$5,000', 'FILLED', 'keep me'],
        ['1 Hour', 'MSFT', 'FALSE', '2500', 'READY', ''],
        ['', '', '', '', '', '=SUM(1,2)'],
      ];
      sheets.setTab('Config', rows);
      sheets.setTab('Performance', [['symbol'], ['AAPL']]);
      const { code, out } = await sheetInit(google());
      expect(code).toBe(0);
      const after = sheets.tab('Config');
      rows.forEach((row, i) => row.forEach((cell, j) => expect([i, j, after[i][j] ?? '']).toEqual([i, j, cell])));
      expect(after[2].slice(6)).toEqual([
        'direction',
        'Last Updated',
        'Reason',
        'risk_pct',
        'trade_window',
        'cooldown_min',
        'order_type',
        'limit_offset_pct',
        'extended_hours',
      ]);
      expect(after).toHaveLength(rows.length);
      expect(out).toMatch(
        /Config: added the columns direction, Last Updated, Reason, risk_pct, trade_window, cooldown_min, order_type, limit_offset_pct/,
      );
      expect(sheets.tab('Performance')).toEqual([['symbol'], ['AAPL']]);
      // The header is row 3: frozen down to it, formats and validation from row 4.
      expect(sheets.layout('Config').frozenRowCount).toBe(3);
      expect(validationAt('Config', 4, 3)?.condition).toEqual({ type: 'BOOLEAN' });
      expect(validationAt('Config', 3, 3)).toBeUndefined();
      expect(validationAt('Config', 4, 7)?.condition).toMatchObject({ type: 'ONE_OF_LIST' });
      expect(formatAt('Config', 4, 4)).toEqual({ numberFormat: { type: 'CURRENCY', pattern: '"$"#,##0.00' } });
      expect(formatAt('Config', 3, 1)).toEqual({ textFormat: { bold: true } });
      expect(sheets.formulasWritten()).toEqual([]);

      const again = await sheetInit(google());
      expect(again.out).toMatch(/nothing to do/);
      expect(sheets.layout('Config').conditionalFormats).toHaveLength(5);
    },
  );

  it('when the sheet already has part of it (its rows, a checkbox, four colours), then only the rest is added', async () => {
    sheets.setTab('Config', [[...CONFIG_COLUMNS], ['AAPL', '5000', 'TRUE', '15 Min', 'both', 'READY', '', '']]);
    await sheetInit(google());
    // The trader unfroze the header and deleted the WAITING colour.
    sheets.layout('Config').frozenRowCount = 0;
    const rules = sheets.layout('Config').conditionalFormats as any[];
    rules.splice(
      rules.findIndex((r) => r.booleanRule.condition.values[0].userEnteredValue === 'WAITING'),
      1,
    );
    const { code, out } = await sheetInit(google());
    expect(code).toBe(0);
    expect(out.split('\n').filter((l) => l.startsWith('  '))).toEqual(
      expect.arrayContaining(['  Config: Order Status WAITING shows grey', '  Config: header row frozen']),
    );
    expect(out.split('\n').filter((l) => l.startsWith('  '))).toHaveLength(2);
    expect(sheets.layout('Config').conditionalFormats).toHaveLength(5);
    expect(sheets.tab('Config')[1]).toEqual(['AAPL', '5000', 'TRUE', '15 Min', 'both', 'READY']);
  });

  it('when the Config tab has rows but no header naming symbol, then it warns, leaves the tab alone and exits 1', async () => {
    sheets.setTab('Config', [
      ['AAPL', '5000'],
      ['MSFT', '2500'],
    ]);
    const { code, out } = await sheetInit(google());
    expect(code).toBe(1);
    expect(out).toMatch(/warning: Config: no header row naming "symbol"/);
    expect(sheets.tab('Config')).toEqual([
      ['AAPL', '5000'],
      ['MSFT', '2500'],
    ]);
    expect(sheets.layout('Config').conditionalFormats).toEqual([]);
  });

  it('when Google refuses, then it says why and exits 1 without a stack trace', async () => {
    sheets.setShared(false);
    const { code, out } = await sheetInit(google());
    expect(code).toBe(1);
    expect(out).toMatch(/sheet:init stopped: .*Share the sheet with the service account/);
    expect(out).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('npm run sheet:init in local mode', () => {
  it(
    'when there are no CSV files, then it creates Config, Performance, ' + 'Signals, Positions and Controls; a re-run has nothing to do',
    async () => {
      const data = join(dir, 'data');
      const first = await sheetInit({ DATA_DIR: data });
      expect(first.code).toBe(0);
      const csv = (tab: string) =>
        readFileSync(join(data, 'sheet', `${tab}.csv`), 'utf8')
          .replace(/^\uFEFF/, '')
          .trim();
      expect(csv('Config')).toBe(CONFIG_COLUMNS.join(','));
      expect(csv('Performance')).toBe(PERFORMANCE_COLUMNS.join(','));
      expect(csv('Signals')).toBe(SIGNALS_COLUMNS.join(','));
      expect(csv('Positions')).toBe(POSITIONS_COLUMNS.join(','));
      const controls = csv('Controls')
        .split('\r\n')
        .map((line) => line.split(',')[0]);
      expect(controls).toEqual([CONTROLS_HEADER[0], ...CONTROL_NAMES]);
      expect(csv('Controls')).toMatch(/^Halt,FALSE,/m);
      expect(first.out).not.toMatch(/checkbox|frozen/);
      const second = await sheetInit({ DATA_DIR: data });
      expect(second.out).toMatch(/nothing to do/);
    },
  );

  it('when Config.csv lacks columns, then they are added at the end and the rows stay as they were', async () => {
    const data = join(dir, 'data');
    await sheetInit({ DATA_DIR: data });
    writeFileSync(join(data, 'sheet', 'Config.csv'), 'symbol,position_size,active,Time Frame\r\nAAPL,"$5,000",TRUE,15 Min\r\n');
    const { out } = await sheetInit({ DATA_DIR: data });
    expect(out).toMatch(
      /Config: added the columns direction, Order Status, Last Updated, Reason, risk_pct, trade_window, cooldown_min, order_type/,
    );
    expect(readFileSync(join(data, 'sheet', 'Config.csv'), 'utf8')).toBe(
      'symbol,position_size,active,Time Frame,direction,Order Status,Last Updated,Reason,risk_pct,trade_window,cooldown_min,' +
        'order_type,limit_offset_pct,extended_hours\r\n' +
        'AAPL,"$5,000",TRUE,15 Min,,,,,,,,,,\r\n',
    );
  });
});
