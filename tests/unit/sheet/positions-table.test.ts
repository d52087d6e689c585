import {
  describeProtection,
  describeRows,
  formatPrice,
  positionLines,
  renderPositionsTable,
  POSITIONS_COLUMNS,
} from '../../../src/domain/sheet/positions-table';
import type { Order, Position } from '../../../src/domain/types';

const order = (o: Partial<Order>): Order => ({
  id: 'o-1',
  clientOrderId: 'tb-x-sl',
  symbol: 'AAPL',
  side: 'sell',
  status: 'new',
  state: 'open',
  filledQty: 0,
  ...o,
});
const position = (p: Partial<Position>): Position => ({
  symbol: 'AAPL',
  qty: 25,
  side: 'long',
  avgEntryPrice: 200,
  marketValue: 5000,
  unrealizedPl: 0,
  currentPrice: 200,
  ...p,
});

describe('protection in words', () => {
  it('when an OCO pair rests, then it reads "stop … · target …" with the parent order id', () => {
    const oco = order({
      id: 'p-1',
      clientOrderId: 'tb-x-tp',
      type: 'limit',
      limitPrice: 208,
      legs: [order({ id: 'l-1', clientOrderId: 'alpaca-leg', type: 'stop', stopPrice: 196 })],
    });
    expect(describeProtection([oco])).toBe('stop 196.00 · target 208.00 [order p-1]');
  });

  it('when a crypto stop-limit and its target rest, then the stop reads with its limit, and the target apart', () => {
    const stop = order({ id: 's-1', type: 'stop_limit', stopPrice: 49_000, limitPrice: 48_510 });
    const target = order({ id: 't-1', type: 'limit', limitPrice: 52_500 });
    expect(describeProtection([stop, target])).toBe('stop 49000.00 (limit 48510.00) [order s-1]; target 52500.00 [order t-1]');
  });

  it('when a trailing stop rests, then it reads "trail 5% (stop now …)"', () => {
    expect(describeProtection([order({ type: 'trailing_stop', trailPercent: 5, stopPrice: 285 })])).toBe(
      'trail 5% (stop now 285.00) [order o-1]',
    );
    expect(describeProtection([order({ type: 'trailing_stop', trailPercent: 2.5 })])).toBe('trail 2.5% [order o-1]');
  });

  it('when a single stop or target rests, or several orders, or none, then each says so', () => {
    expect(describeProtection([order({ type: 'stop', stopPrice: 0.5123 })])).toBe('stop 0.5123 [order o-1]');
    expect(describeProtection([order({ type: 'limit', limitPrice: 210 }), order({ id: 'o-2', type: 'stop', stopPrice: 190 })])).toBe(
      'target 210.00 [order o-1]; stop 190.00 [order o-2]',
    );
    expect(describeProtection([])).toBe('none');
    expect(formatPrice(1234.5)).toBe('1234.50');
  });
});

describe('rows in words', () => {
  it('when rows hold shares, then each shows signed, flat rows left out', () => {
    expect(
      describeRows([
        { symbol: 'AAPL', timeframe: '15m', qty: 10 },
        { symbol: 'AAPL', timeframe: '60m', qty: -3 },
        { symbol: 'AAPL', timeframe: '1D', qty: 0 },
      ]),
    ).toBe('15m +10, 60m -3');
  });
});

describe('the tab', () => {
  it('when positions are held, then one row per symbol, sorted, with its own protection and the stamp', () => {
    const lines = positionLines(
      [
        position({ symbol: 'MSFT', qty: -5, side: 'short', avgEntryPrice: 410, marketValue: -2000, unrealizedPl: 50, currentPrice: 400 }),
        position({}),
      ],
      [order({ symbol: 'MSFT', side: 'buy', type: 'stop', stopPrice: 420 })],
    );
    const table = renderPositionsTable(lines, '2025-10-10 06:45:02 PDT');
    expect(table).toEqual([
      [...POSITIONS_COLUMNS],
      ['AAPL', 'long', '25', '200.00', '200.00', '$5,000.00', '$0.00', 'none', '', '2025-10-10 06:45:02 PDT'],
      ['MSFT', 'short', '-5', '410.00', '400.00', '-$2,000.00', '$50.00', 'stop 420.00 [order o-1]', '', '2025-10-10 06:45:02 PDT'],
    ]);
  });

  it('when a row still holds shares the broker has not (per-row), then its symbol has a line, flat at the broker', () => {
    const [line] = positionLines([], [], [{ symbol: 'TSLA', timeframe: '15m', qty: 4 }]);
    expect(line).toMatchObject({ symbol: 'TSLA', side: 'flat', qty: 0, rows: '15m +4', protection: 'none' });
  });
});
