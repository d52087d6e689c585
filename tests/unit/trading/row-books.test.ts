import fc from 'fast-check';
import { parseConfigTable } from '../../../src/domain/trading/config-table';
import {
  netLegs,
  netOf,
  PER_ROW_PROTECTION_PROBLEM,
  perRowConfigTable,
  rowMove,
  rowShares,
  shrinkToBroker,
  type RowPosition,
} from '../../../src/domain/trading/row-books';
import { planTrade, targetOf } from '../../../src/domain/trading/trade-plan';
import { ALPACA_RULES } from '../../../src/adapters/alpaca/rules';
import { assetRules } from '../../../src/domain/trading/broker-rules';
import type { Direction, MarketPosition, Signal } from '../../../src/domain/types';

const rules = assetRules(ALPACA_RULES);

describe('netLegs', () => {
  it('when the net stays on one side, then one order carries the difference', () => {
    expect(netLegs(20, 80)).toEqual([{ side: 'buy', qty: 60 }]);
    expect(netLegs(20, 0)).toEqual([{ side: 'sell', qty: 20 }]);
    expect(netLegs(0, -30)).toEqual([{ side: 'sell', qty: 30 }]);
  });

  it('when the net crosses zero, then it closes to flat first and opens the rest', () => {
    expect(netLegs(20, -30)).toEqual([
      { side: 'sell', qty: 20 },
      { side: 'sell', qty: 30 },
    ]);
    expect(netLegs(-20, 80)).toEqual([
      { side: 'buy', qty: 20 },
      { side: 'buy', qty: 80 },
    ]);
  });

  it('when nothing changes, then no order is needed', () => {
    expect(netLegs(15, 15)).toEqual([]);
  });
});

describe('rowMove and rowShares', () => {
  it('when a row is sized, then it is whole shares, floor(position_size / price)', () => {
    expect(rowShares(5000, 190)).toBe(26);
    expect(rowShares(50, 100)).toBe(0);
  });

  it('when a row flips, then its exit goes to flat and its entry to the row size on the new side', () => {
    const plan = planTrade({
      target: { kind: 'side', side: 'short' },
      direction: 'both',
      position: 30,
      working: [],
      wholeShares: true,
      rules,
    });
    expect(plan.kind).toBe('trade');
    expect(rowMove(plan as never, 30, 50)).toEqual({ exitTo: 0, target: -50, enters: true });
  });

  it('when a row scales down, then it is an exit to the smaller size', () => {
    const plan = planTrade({
      target: { kind: 'scale', side: 'long', ratio: 0.5 },
      direction: 'both',
      position: 31,
      working: [],
      wholeShares: true,
      rules,
    });
    expect(rowMove(plan as never, 31)).toEqual({ exitTo: 16, target: 16, enters: false });
  });
});

describe('shrinkToBroker', () => {
  const rows: RowPosition[] = [
    { timeframe: '15m', qty: 50, changedAt: 1 },
    { timeframe: '30m', qty: 30, changedAt: 2 },
    { timeframe: '60m', qty: -10, changedAt: 3 },
  ];

  it('when the broker holds less long than the rows, then the long rows shrink, newest first', () => {
    expect(shrinkToBroker(rows, 30)).toEqual({
      changes: [
        { timeframe: '30m', from: 30, to: 0 },
        { timeframe: '15m', from: 50, to: 40 },
      ],
      unexplained: 0,
    });
  });

  it('when the broker holds more short than the rows can give, then only the long side shrinks and the rest is unexplained', () => {
    expect(shrinkToBroker(rows, -100)).toEqual({
      changes: [
        { timeframe: '30m', from: 30, to: 0 },
        { timeframe: '15m', from: 50, to: 0 },
      ],
      unexplained: -90,
    });
  });

  it('when the broker holds less short, then the short rows shrink', () => {
    expect(shrinkToBroker(rows, 75)).toEqual({ changes: [{ timeframe: '60m', from: -10, to: -5 }], unexplained: 0 });
  });

  it('when they agree, then nothing changes', () => {
    expect(shrinkToBroker(rows, 70)).toEqual({ changes: [], unexplained: 0 });
  });
});

/**
 * Random signals over 3 rows of one symbol, each planned from its own row and
 * sent to a simulated broker as the net difference.
 */
describe('per-row netting: any sequence of signals over 3 rows (property)', () => {
  const ROWS = ['15m', '30m', '60m'];
  const signal = fc.record({
    row: fc.constantFrom(0, 1, 2),
    action: fc.constantFrom<Signal['action']>('long', 'short', 'close'),
    strategy: fc.option(
      fc.record({
        position: fc.constantFrom<MarketPosition>('long', 'short', 'flat'),
        size: fc.integer({ min: 1, max: 9 }),
        prevSize: fc.integer({ min: 1, max: 9 }),
      }),
      { nil: undefined },
    ),
    price: fc.integer({ min: 5, max: 900 }),
    size: fc.integer({ min: 100, max: 20_000 }),
    direction: fc.constantFrom<Direction>('both', 'both', 'long only', 'short only'),
    outside: fc.option(fc.integer({ min: -60, max: 60 }), { freq: 8, nil: undefined }),
  });

  it(
    'when each signal is traded, then the broker net equals the sum ' + 'of the rows, every order is whole shares, and none crosses zero',
    () => {
      fc.assert(
        fc.property(fc.array(signal, { minLength: 1, maxLength: 40 }), (signals) => {
          const rows: RowPosition[] = ROWS.map((timeframe) => ({ timeframe, qty: 0, changedAt: 0 }));
          let broker = 0;
          signals.forEach((s, t) => {
            if (s.outside !== undefined) {
              // Something outside the bot changed the position: reconcile corrects the rows first.
              broker = s.outside;
              const { changes, unexplained } = shrinkToBroker(rows, broker);
              for (const c of changes)
                Object.assign(
                  rows.find((r) => r.timeframe === c.timeframe)!,
                  { qty: c.to, changedAt: t },
                );
              broker -= unexplained; // what no row explains is left out of this model
            }
            const row = rows[s.row];
            const strategy = s.strategy && { marketPosition: s.strategy.position, size: s.strategy.size, prevSize: s.strategy.prevSize };
            const plan = planTrade({
              target: targetOf({ action: s.action, strategy }),
              direction: s.direction,
              position: row.qty,
              working: [],
              wholeShares: true,
              rules,
            });
            if (plan.kind !== 'trade') return;
            const move = rowMove(plan, row.qty, rowShares(s.size, s.price));
            const legs = netLegs(broker, broker + move.target - row.qty);
            for (const leg of legs) {
              expect(Number.isInteger(leg.qty)).toBe(true);
              expect(leg.qty).toBeGreaterThan(0);
              const after = broker + (leg.side === 'buy' ? leg.qty : -leg.qty);
              expect(Math.sign(broker) * Math.sign(after)).not.toBe(-1);
              broker = after;
            }
            Object.assign(row, { qty: move.target, changedAt: t });
            expect(Number.isInteger(row.qty)).toBe(true);
            expect(broker).toBe(netOf(rows));
          });
        }),
        { numRuns: 500 },
      );
    },
  );
});

describe('perRowConfigTable', () => {
  const table = parseConfigTable([
    ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'trail_pct'],
    ['AAPL', '5000', 'TRUE', '15 Min', '2', ''],
    ['AAPL', '3000', 'TRUE', '30 Min', '', ''],
    ['MSFT', '-5', 'TRUE', '15 Min', '', '3'],
  ]);

  it(
    'when a row asks for protection in per-row mode, then it has none ' +
      'and a problem that refuses its entries; other rows are untouched',
    () => {
      const [protectedRow, plain, bad] = perRowConfigTable(table).rows;
      expect(table.rows[0].protection).toBeDefined();
      expect(protectedRow.protection).toBeUndefined();
      expect(protectedRow.problem).toBe(PER_ROW_PROTECTION_PROBLEM);
      expect(plain).toBe(table.rows[1]);
      // A row with a problem of its own keeps it (the first problem is the one to fix), and still gets no protection.
      expect(bad.problem).toBe(table.rows[2].problem);
      expect(bad.problem).not.toBe(PER_ROW_PROTECTION_PROBLEM);
      expect(bad.protection).toBeUndefined();
    },
  );
});
