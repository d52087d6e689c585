import { ConfigLayoutError, findRow, parseConfigTable, parseDollars } from '../../src/domain/config-table';

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

  it('when rows are blank, invalid or repeated, then they are skipped with a reason and never throw', () => {
    const table = parseConfigTable([
      ['symbol', 'position_size', 'active', 'Time Frame'],
      ['', '', '', ''],
      ['=IMPORTXML(1)', '100', 'TRUE', '15'],
      ['AAPL', '100', 'TRUE', 'whenever'],
      ['AAPL', '100', 'TRUE', '15'],
      ['AAPL', '200', 'TRUE', '15 Min'],
    ]);
    expect(table.rows).toHaveLength(1);
    expect(table.skipped.map((s) => s.sheetRow)).toEqual([3, 4, 6]);
  });

  it('when position_size is negative or not a number, then the row is kept with a problem', () => {
    const table = parseConfigTable([
      ['symbol', 'position_size', 'active', 'Time Frame'],
      ['AAPL', '-500', 'TRUE', '15'],
      ['MSFT', 'lots', 'TRUE', '15'],
    ]);
    expect(findRow(table, 'AAPL', '15m')?.problem).toMatch(/must be more than 0/);
    expect(findRow(table, 'MSFT', '15m')?.problem).toMatch(/not a dollar amount/);
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
    expect(parseDollars(' $1,234.56 ')).toBe(1234.56);
    expect(parseDollars('five')).toBeNull();
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
      ['AAPL', 'both', undefined], ['MSFT', 'long only', undefined], ['SPY', 'short only', undefined], ['QQQ', 'both', undefined],
    ]);
    expect(parseConfigTable([['symbol', 'position_size', 'active', 'Time Frame'], ['AAPL', '100', 'TRUE', '15']]).rows[0].direction).toBe('both');
  });

  it('when direction is anything else, then the row is kept with the problem named', () => {
    const [row] = parseConfigTable([['symbol', 'position_size', 'active', 'Time Frame', 'direction'], ['AAPL', '100', 'TRUE', '15', 'up']]).rows;
    expect(row.problem).toBe('direction "up" must be blank, both, long only or short only');
  });
});

describe('asStatus', () => {
  it('when given a vocabulary word, then it is that status; otherwise undefined', async () => {
    const { asStatus } = await import('../../src/domain/status');
    expect(asStatus('ALREADY LONG')).toBe('ALREADY LONG');
    expect(asStatus('HALTED')).toBe('HALTED');
    expect(asStatus('ignored')).toBeUndefined();
    expect(asStatus('=HYPERLINK("x")')).toBeUndefined();
  });
});
