import { ConfigLayoutError, findRow, parseConfigTable, parseDollars, unkeyedRowFor } from '../../../src/domain/trading/config-table';
import { parsePositionSize } from '../../../src/domain/trading/sizing';

describe('parseConfigTable', () => {
  it('when the columns are reordered and headers spelled loosely, then rows are found by header name', () => {
    const table = parseConfigTable([
      ['Last Updated', 'TIME FRAME', 'Order Status', 'Active', 'Symbol', 'Position_Size'],
      ['', '15 Min', 'READY', 'TRUE', 'AAPL', '$5,000'],
      ['', '1 Hour', '', 'FALSE', 'msft', '2500.50'],
    ]);
    expect(table.columns).toMatchObject({ symbol: 4, positionSize: 5, active: 3, timeframe: 1, orderStatus: 2, lastUpdated: 0 });
    expect(findRow(table, 'AAPL', '15m')).toMatchObject({ sheetRow: 2, positionSize: 5000, active: true });
    expect(findRow(table, 'MSFT', '60m')).toMatchObject({ sheetRow: 3, positionSize: 2500.5, active: false });
  });

  it(
    'when rows are blank or have no valid symbol, then they are skipped; ' +
      'a blank or unknown Time Frame or a repeat keeps the row with a problem',
    () => {
      const table = parseConfigTable([
        ['symbol', 'position_size', 'active', 'Time Frame'],
        ['', '', '', ''],
        ['=IMPORTXML(1)', '100', 'TRUE', '15'],
        ['AAPL', '100', 'TRUE', 'whenever'],
        ['AAPL', '100', 'TRUE', '15'],
        ['AAPL', '200', 'TRUE', '15 Min'],
        ['MSFT', '100', 'TRUE', ''],
        ['SPY', '100', 'TRUE', '1 Hour'],
      ]);
      expect(table.skipped.map((s) => s.sheetRow)).toEqual([3]);
      const problems = Object.fromEntries(table.rows.map((r) => [r.sheetRow, r.problem]));
      expect(problems[4]).toBe('Time Frame "whenever" is not understood: type the chart\'s timeframe, e.g. 15 Min, 1 Hour or 1 Day');
      expect(problems[5]).toBe('AAPL 15 is on rows 5 and 6: keep one row per symbol and Time Frame');
      expect(problems[6]).toBe(problems[5]);
      expect(problems[7]).toMatch(/^Time Frame is blank: type/);
      expect(problems[8]).toBeUndefined();
      expect(findRow(table, 'AAPL', '15m')?.problem).toBe(problems[5]);
      expect(unkeyedRowFor(table, 'MSFT')?.sheetRow).toBe(7);
      expect(unkeyedRowFor(table, 'SPY')).toBeUndefined();
      expect(table.rows.filter((r) => r.symbol === 'MSFT').map((r) => r.timeframe)).toEqual(['']);
    },
  );

  it('when position_size is negative or not a number, then the row is kept with a problem', () => {
    const table = parseConfigTable([
      ['symbol', 'position_size', 'active', 'Time Frame'],
      ['AAPL', '-500', 'TRUE', '15'],
      ['MSFT', 'lots', 'TRUE', '15'],
    ]);
    expect(findRow(table, 'AAPL', '15m')?.problem).toMatch(/must be more than 0/);
    expect(findRow(table, 'MSFT', '15m')?.problem).toMatch(/"lots" is not understood: type the dollars as a plain number/);
  });

  it('when a title row sits above the header, then the header is still found', () => {
    const table = parseConfigTable([['My strategies'], ['symbol', 'position_size', 'active', 'Time Frame'], ['SPY', '1000', 'TRUE', 'D']]);
    expect(findRow(table, 'SPY', '1D')?.sheetRow).toBe(3);
  });

  it('when required columns are missing, then a layout error names them', () => {
    expect(() => parseConfigTable([['symbol', 'active']])).toThrow(ConfigLayoutError);
    expect(() => parseConfigTable([])).toThrow(/symbol, position_size, active and Time Frame/);
  });

  it('when reading dollars, then "$5,000" and "5000" are both 5000', () => {
    expect(parseDollars('$5,000')).toBe(5000);
    expect(parseDollars('5000')).toBe(5000);
    expect(parseDollars('5,000')).toBe(5000);
    expect(parseDollars('$5,000.50')).toBe(5000.5);
    expect(parseDollars(' $1,234.56 ')).toBe(1234.56);
    expect(parseDollars('1,234,567.5')).toBe(1234567.5);
    expect(parseDollars('-$20')).toBe(-20);
    expect(parseDollars('five')).toBeNull();
  });

  it.each(['1.500,00', '5.000', '5 000', '5\u202f000', '1,5', '5,00', '50,00,000', '$$5', '5.', '.5e3', '1e3', '--5', '-$-5'])(
    'when position_size text is "%s" (not US-style), then it is no amount at all, never a misread one',
    (text) => expect(parseDollars(text)).toBeNull(),
  );

  it('when position_size is a number cell, then it is that number whatever the locale showed; text follows the strict rule', () => {
    expect(parsePositionSize(1500)).toEqual({ size: { kind: 'dollars', value: 1500 } });
    expect(parsePositionSize(5.125)).toEqual({ size: { kind: 'dollars', value: 5.125 } });
    expect(parsePositionSize(0)).toEqual({ problem: 'position_size 0 must be more than 0' });
    expect(parsePositionSize('1.500,00')).toEqual({
      problem:
        'position_size "1.500,00" is not a US-style dollar amount: ' +
        'type the dollars as a plain number (1500 or 1500.50) or US-style ($1,500.50), ' +
        'shares (25 shares) or a percentage of equity (10%)',
    });
    const blank = parseConfigTable([
      ['symbol', 'position_size', 'active', 'Time Frame'],
      ['AAPL', '', 'TRUE', '15 Min'],
    ]);
    expect(blank.rows[0].problem).toMatch(/^position_size is blank: type the dollars/);
  });

  it('when the cells come unformatted (numbers and booleans typed), then the row reads as it would from text', () => {
    const table = parseConfigTable([
      ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status'],
      ['AAPL', 1500, true, 15, 'READY'],
      ['MSFT', 2500.5, false, '1 Hour', 'FAILED'],
    ]);
    expect(findRow(table, 'AAPL', '15m')).toMatchObject({
      positionSize: 1500,
      active: true,
      timeframeLabel: '15',
      shown: { status: 'READY' },
    });
    expect(findRow(table, 'MSFT', '60m')).toMatchObject({ positionSize: 2500.5, active: false, shown: { status: 'FAILED' } });
  });
});

describe('the direction column', () => {
  it('when direction is blank, both, long only or short only in any case or spacing, then the row has it; absent, it is both', () => {
    const table = parseConfigTable([
      ['symbol', 'position_size', 'active', 'Time Frame', 'Direction'],
      ['AAPL', '100', 'TRUE', '15', ''],
      ['MSFT', '100', 'TRUE', '15', ' LONG  only '],
      ['SPY', '100', 'TRUE', '15', 'Short_Only'],
      ['QQQ', '100', 'TRUE', '15', 'Both'],
    ]);
    expect(table.rows.map((r) => [r.symbol, r.direction, r.problem])).toEqual([
      ['AAPL', 'both', undefined],
      ['MSFT', 'long only', undefined],
      ['SPY', 'short only', undefined],
      ['QQQ', 'both', undefined],
    ]);
    expect(
      parseConfigTable([
        ['symbol', 'position_size', 'active', 'Time Frame'],
        ['AAPL', '100', 'TRUE', '15'],
      ]).rows[0].direction,
    ).toBe('both');
  });

  it('when direction is anything else, then the row is kept with the problem named', () => {
    const [row] = parseConfigTable([
      ['symbol', 'position_size', 'active', 'Time Frame', 'direction'],
      ['AAPL', '100', 'TRUE', '15', 'up'],
    ]).rows;
    expect(row.problem).toBe('direction "up" must be blank, both, long only or short only');
  });
});

describe('asStatus', () => {
  it('when given a vocabulary word, then it is that status; otherwise undefined', async () => {
    const { asStatus } = await import('../../../src/domain/sheet/status');
    expect(asStatus('ALREADY LONG')).toBe('ALREADY LONG');
    expect(asStatus('HALTED')).toBe('HALTED');
    expect(asStatus('ignored')).toBeUndefined();
    expect(asStatus('=HYPERLINK("x")')).toBeUndefined();
  });
});
