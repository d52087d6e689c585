/** The CSV-file SheetStore of local mode, on a real temp folder. */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSheetStore } from '../../../src/adapters/local-sheet';
import { ChangedMeanwhileError, writeFileAtomic } from '../../../src/adapters/local-sheet/csv-file';
import { guard, unguard } from '../../../src/adapters/local-sheet/formula-guard';
import { NotFoundError, RejectedError } from '../../../src/domain/errors';

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated'];
const SEED = [HEADER, ['AAPL', '$5,000', 'TRUE', '15 Min', 'READY', ''], ['MSFT', '5000', 'TRUE', '15 Min', 'READY', '']];
const FORMULA = '=IMPORTXML("http://x","//a")';
const BOM = '\uFEFF';

let root: string;
let dir: string;
const file = (tab: string) => join(dir, `${tab}.csv`);
const text = (tab: string) => readFileSync(file(tab), 'utf8');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'local-sheet-'));
  dir = join(root, 'data', 'sheet');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('opening', () => {
  it('when the folder is new, then it is created and the seed tab written as an Excel-friendly CSV', async () => {
    const store = await LocalSheetStore.open(dir, { tab: 'Config', rows: SEED });
    expect(store.kind).toBe('local');
    expect(store.location).toBe(dir);
    expect(await store.readTab('Config')).toEqual([
      HEADER,
      ['AAPL', '$5,000', 'TRUE', '15 Min', 'READY'],
      ['MSFT', '5000', 'TRUE', '15 Min', 'READY'],
    ]);
    expect(text('Config')).toBe(
      `${BOM}symbol,position_size,active,Time Frame,Order Status,Last Updated\r\n` +
        'AAPL,"$5,000",TRUE,15 Min,READY,\r\n' +
        'MSFT,5000,TRUE,15 Min,READY,\r\n',
    );
  });

  it("when the tab file already exists, then the seed never overwrites the trader's edits", async () => {
    const first = await LocalSheetStore.open(dir, { tab: 'Config', rows: SEED });
    await first.writeCells([{ tab: 'Config', row: 2, column: 2, value: '$9,999' }]);
    const again = await LocalSheetStore.open(dir, { tab: 'Config', rows: SEED });
    expect((await again.readTab('Config'))[1][1]).toBe('$9,999');
  });

  it('when a tab has no file, then reading it is NotFoundError', async () => {
    const store = await LocalSheetStore.open(dir);
    await expect(store.readTab('Performance')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('when a tab name would escape the folder, then it is refused', async () => {
    const store = await LocalSheetStore.open(dir);
    await expect(store.readTab('../secrets')).rejects.toBeInstanceOf(RejectedError);
    await expect(store.replaceTab('.hidden', [])).rejects.toBeInstanceOf(RejectedError);
  });
});

describe('writing', () => {
  it('when cells are written, then they read back, rows and columns growing as needed', async () => {
    const store = await LocalSheetStore.open(dir, { tab: 'Config', rows: SEED });
    await store.writeCells([
      { tab: 'Config', row: 2, column: 5, value: 'FILLED' },
      { tab: 'Config', row: 2, column: 6, value: '2025-10-10 07:15:02 PDT' },
      { tab: 'Config', row: 5, column: 8, value: 'note, with "quotes"\nand a line break' },
    ]);
    const rows = await store.readTab('Config');
    expect(rows[1]).toEqual(['AAPL', '$5,000', 'TRUE', '15 Min', 'FILLED', '2025-10-10 07:15:02 PDT']);
    expect(rows[3]).toEqual([]);
    expect(rows[4]).toEqual(['', '', '', '', '', '', '', 'note, with "quotes"\nand a line break']);
  });

  it('when a write names a missing tab, then NotFoundError and no file changes', async () => {
    const store = await LocalSheetStore.open(dir, { tab: 'Config', rows: SEED });
    const before = text('Config');
    await expect(
      store.writeCells([
        { tab: 'Config', row: 2, column: 5, value: 'FILLED' },
        { tab: 'Nope', row: 1, column: 1, value: 'x' },
      ]),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(text('Config')).toBe(before);
  });

  it('when a tab is replaced, then it holds exactly the new rows and a missing tab is created', async () => {
    const store = await LocalSheetStore.open(dir);
    await store.replaceTab('Performance', [
      ['symbol', 'total_pnl'],
      ['AAPL', '$1.00'],
      ['MSFT', '$2.00'],
      ['TOTAL', '$3.00'],
    ]);
    await store.replaceTab('Performance', [
      ['symbol', 'total_pnl'],
      ['TOTAL', '-$12.00'],
    ]);
    expect(await store.readTab('Performance')).toEqual([
      ['symbol', 'total_pnl'],
      ['TOTAL', '-$12.00'],
    ]);
  });

  it('when many writes race, then none is lost, every read sees a whole file, and no temp file is left', async () => {
    const store = await LocalSheetStore.open(dir, { tab: 'Config', rows: [HEADER] });
    let stop = false;
    let reads = 0;
    const reader = (async () => {
      while (!stop) {
        const raw = await readFile(file('Config'), 'utf8');
        // A torn file would lack the header or end mid-line.
        expect(raw.startsWith(`${BOM}symbol,`)).toBe(true);
        expect(raw.endsWith('\r\n')).toBe(true);
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 10 === 9
          ? store.replaceTab('Performance', [['n'], [String(i)]])
          : store.writeCells([{ tab: 'Config', row: i + 2, column: 1, value: `SYM${i}` }]),
      ),
    );
    stop = true;
    await reader;
    const rows = await store.readTab('Config');
    for (let i = 0; i < 40; i++) if (i % 10 !== 9) expect(rows[i + 1][0]).toBe(`SYM${i}`);
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['Config.csv', 'Performance.csv']);
  });
});

describe('rows the trader edits while the bot runs', () => {
  /** The file as a spreadsheet program saves it. */
  const saved = (rows: string[][]) => rows.map((r) => r.map((c) => (/[,"]/.test(c) ? `"${c}"` : c)).join(',')).join('\r\n') + '\r\n';

  it(
    'when the trader inserts and appends rows after the bot read the ' +
      "tab, then they are kept and the bot's cells land in their own rows",
    async () => {
      const store = await LocalSheetStore.open(dir, { tab: 'Config', rows: SEED });
      await store.readValues('Config'); // the bot's copy: MSFT is row 3
      writeFileSync(
        file('Config'),
        saved([HEADER, ['NVDA', '1000', 'TRUE', '1 Hour', 'READY'], ...SEED.slice(1), ['TSLA', '2000', 'FALSE', '1 Day', '']]),
      );
      await store.writeCells([
        { tab: 'Config', row: 3, column: 5, value: 'FILLED' },
        { tab: 'Config', row: 3, column: 6, value: 'now' },
      ]);
      expect(await store.readTab('Config')).toEqual([
        HEADER,
        ['NVDA', '1000', 'TRUE', '1 Hour', 'READY'],
        ['AAPL', '$5,000', 'TRUE', '15 Min', 'READY'],
        ['MSFT', '5000', 'TRUE', '15 Min', 'FILLED', 'now'],
        ['TSLA', '2000', 'FALSE', '1 Day'],
      ]);
    },
  );

  it(
    'when the trader deleted the row a status was meant for, then ' + 'the status is dropped rather than written into another row',
    async () => {
      const store = await LocalSheetStore.open(dir, { tab: 'Config', rows: SEED });
      await store.readValues('Config');
      writeFileSync(file('Config'), saved([HEADER, SEED[2]]));
      await store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'FILLED' }]);
      expect(await store.readTab('Config')).toEqual([HEADER, ['MSFT', '5000', 'TRUE', '15 Min', 'READY']]);
    },
  );

  it(
    'when the file changes between the read a write is based on and its ' +
      'rename, then nothing is replaced and the write is told to start over',
    async () => {
      writeFileSync(join(root, 'tab.csv'), 'a,b\r\nsaved by the trader\r\n');
      await expect(writeFileAtomic(join(root, 'tab.csv'), 'a,b\r\n', 'a,b\r\n')).rejects.toBeInstanceOf(ChangedMeanwhileError);
      expect(readFileSync(join(root, 'tab.csv'), 'utf8')).toBe('a,b\r\nsaved by the trader\r\n');
      expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );

  it("when a tab file is created, then only its owner may read it, and the folder is the owner's alone", async () => {
    const store = await LocalSheetStore.open(dir, { tab: 'Config', rows: SEED });
    await store.replaceTab('Positions', [['symbol']]);
    expect(statSync(file('Config')).mode & 0o777).toBe(0o600);
    expect(statSync(file('Positions')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});

describe('files saved by spreadsheet programs', () => {
  it('when Excel saved it with a BOM and CRLF, then it reads cleanly and keeps that form on write', async () => {
    const store = await LocalSheetStore.open(dir);
    writeFileSync(
      file('Config'),
      `${BOM}symbol,position_size,active,Time Frame,Order Status,Last Updated\r\nAAPL,"$5,000",TRUE,15 Min,READY,,,\r\n,,,,,\r\n`,
    );
    expect(await store.readTab('Config')).toEqual([HEADER, ['AAPL', '$5,000', 'TRUE', '15 Min', 'READY']]);
    await store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'FILLED' }]);
    expect(text('Config')).toBe(
      `${BOM}symbol,position_size,active,Time Frame,Order Status,Last Updated\r\nAAPL,"$5,000",TRUE,15 Min,FILLED,\r\n`,
    );
  });

  it('when a locale saved it with semicolons and LF, then it is read and written back in that dialect', async () => {
    const store = await LocalSheetStore.open(dir);
    writeFileSync(file('Config'), 'symbol;position_size;active\nAAPL;5000,50;TRUE\n');
    expect(await store.readTab('Config')).toEqual([
      ['symbol', 'position_size', 'active'],
      ['AAPL', '5000,50', 'TRUE'],
    ]);
    await store.writeCells([{ tab: 'Config', row: 2, column: 3, value: 'FALSE' }]);
    expect(text('Config')).toBe('symbol;position_size;active\nAAPL;5000,50;FALSE\n');
  });

  it('when the file is not valid CSV, then RejectedError naming the file', async () => {
    const store = await LocalSheetStore.open(dir);
    writeFileSync(file('Config'), 'symbol,active\n"AAPL,TRUE\n');
    await expect(store.readTab('Config')).rejects.toThrow(/Config\.csv is not valid CSV/);
  });
});

describe('formula injection', () => {
  it('when outside text looks like a formula, then the file holds it behind a quote mark and it reads back unchanged', async () => {
    const store = await LocalSheetStore.open(dir, { tab: 'Config', rows: [HEADER] });
    const dangerous = [FORMULA, '+SUM(A1)', '-2+3', '@A1', '\t=1', '\r=1', '＝1+1', "'=already quoted"];
    await store.writeCells(dangerous.map((value, i) => ({ tab: 'Config', row: i + 2, column: 5, value })));
    const cells = (await store.readTab('Config')).slice(1).map((r) => r[4]);
    expect(cells).toEqual(dangerous);
    const lines = text('Config').split('\r\n');
    // Every row as wide as the header (six columns), so the fifth cell is followed by an empty sixth.
    expect(lines[1]).toBe(`,,,,"'=IMPORTXML(""http://x"",""//a"")",`);
    expect(lines[2]).toBe(",,,,'+SUM(A1),");
    expect(lines[3]).toBe(",,,,'-2+3,");
    expect(lines[4]).toBe(",,,,'@A1,");
    expect(lines[8]).toBe(",,,,''=already quoted,");
    // No field in the file starts a formula.
    for (const line of lines) for (const field of line.split(',')) expect(field.replace(/^"/, '')).not.toMatch(/^[=+@]|^-[^$\d]/);
  });

  it('when we write plain numbers and money, then they stay numbers the trader can sum', async () => {
    const store = await LocalSheetStore.open(dir);
    const numbers = ['-12.00', '-$12.00', '-$1,234.56', '+3.5', '-12.5%', '-', '-7'];
    await store.replaceTab('Performance', [numbers]);
    expect(text('Performance')).toBe(`${BOM}-12.00,-$12.00,"-$1,234.56",+3.5,-12.5%,-,-7\r\n`);
    expect(await store.readTab('Performance')).toEqual([numbers]);
  });

  it('when any text is guarded and unguarded, then it comes back the same and never starts a formula', () => {
    const risky = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', "'", '\t', '1', '.', '$', ',', '%', 'A', ' ') });
    fc.assert(
      fc.property(fc.oneof(risky, fc.string()), (value) => {
        expect(unguard(guard(value))).toBe(value);
        const written = guard(value);
        if (/^[=+\-@\t\r]/.test(written)) expect(written).toMatch(/^([-+]?\$?[\d,]+(\.\d+)?%?|[-+])$/);
      }),
      { numRuns: 2000 },
    );
  });
});
