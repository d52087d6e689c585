import { rowMapper } from '../../../src/domain/sheet/row-identity';

const CONFIG = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status'];

describe('row identity', () => {
  it('when the trader inserted a Config row above and appended another, then each known row is found where it now is', () => {
    const before = [CONFIG, ['AAPL', '5000', 'TRUE', '15 Min', ''], ['MSFT', '5000', 'TRUE', '15 Min', '']];
    const after = [
      CONFIG,
      ['NVDA', '1000', 'TRUE', '1 Hour', ''],
      ['AAPL', '5000', 'TRUE', '15 Min', ''],
      ['MSFT', '5000', 'TRUE', '15', ''],
      ['TSLA', '1', 'TRUE', '1D', ''],
    ];
    const place = rowMapper(before, after);
    expect([0, 1, 2].map(place)).toEqual([0, 2, 3]);
  });

  it('when the trader deleted a row, then writes for it have nowhere to go', () => {
    const before = [CONFIG, ['AAPL', '5000', 'TRUE', '15 Min'], ['MSFT', '5000', 'TRUE', '15 Min']];
    const after = [CONFIG, ['MSFT', '5000', 'TRUE', '15 Min']];
    expect(rowMapper(before, after)(1)).toBeUndefined();
    expect(rowMapper(before, after)(2)).toBe(1);
  });

  it('when two rows share an identity (a repeated Config row), then the n-th maps to the n-th', () => {
    const before = [CONFIG, ['AAPL', '1', 'TRUE', '15 Min'], ['AAPL', '2', 'TRUE', '15 Min']];
    const after = [CONFIG, ['X', '1', 'TRUE', '1D'], ['AAPL', '1', 'TRUE', '15 Min'], ['AAPL', '2', 'TRUE', '15 Min']];
    expect([1, 2].map(rowMapper(before, after))).toEqual([2, 3]);
  });

  it('when rows are written past the end of the copy the bot saw, then they go after the rows the trader added', () => {
    const before = [
      ['control', 'value', 'note'],
      ['Halt', 'FALSE'],
    ];
    const after = [
      ['control', 'value', 'note'],
      ['Halt', 'FALSE'],
      ['my note', 'x'],
    ];
    expect(rowMapper(before, after)(2)).toBe(3);
  });

  it('when the Signals and Controls tabs are merged, then rows are known by signal id and by control name; other tabs by position', () => {
    const signals = (ids: string[]) => [['time', 'symbol', 'timeframe', 'signal_id'], ...ids.map((id) => ['t', 'AAPL', '15', id])];
    expect(rowMapper(signals(['a', 'b']), signals(['x', 'a', 'b']))(2)).toBe(3);
    expect(rowMapper([['control'], ['Halt'], ['Mode']], [['control'], ['Mode'], ['Halt']])(1)).toBe(2);
    expect(rowMapper([['symbol', 'total_pnl'], ['A']], [['symbol', 'total_pnl'], ['B'], ['A']])(1)).toBe(1);
  });
});
