import {
  CONFIG_COLUMNS,
  describeChange,
  planLayout,
  STATUS_COLOURS,
  TIMEFRAME_CHOICES,
  type TabFacts,
} from '../../../src/domain/sheet/sheet-layout';
import { CONTROL_NAMES, CONTROLS_HEADER } from '../../../src/domain/sheet/controls';
import { PERFORMANCE_COLUMNS } from '../../../src/domain/performance/performance';
import { POSITIONS_COLUMNS } from '../../../src/domain/sheet/positions-table';
import { normaliseTimeframe } from '../../../src/domain/signal/timeframe';
import { LAYOUT_TARGETS } from '../../support/layout-targets';

const targets = LAYOUT_TARGETS;
/** A Controls tab as sheet:init leaves it: header, one row per control, Halt's value a checkbox. */
const readyControls = () => {
  const t = tab('Controls', [[...CONTROLS_HEADER], ...CONTROL_NAMES.map((n) => [n, n === 'Halt' ? 'FALSE' : '', ''])], { frozenRows: 1 });
  t.top[1][1] = { value: 'FALSE', validation: 'BOOLEAN' };
  return t;
};
const tab = (title: string, rows: string[][], extra: Partial<TabFacts> = {}): TabFacts => ({
  title,
  top: rows.map((r) => r.map((value) => ({ value }))),
  frozenRows: 0,
  columnCount: 26,
  colouredTexts: [],
  ...extra,
});

describe('planLayout', () => {
  it('when nothing exists, then it adds the five tabs first, then headers and every format', () => {
    const { changes, warnings } = planLayout([], targets);
    expect(warnings).toEqual([]);
    expect(changes.slice(0, 5).map(describeChange)).toEqual([
      'Config: created the tab',
      'Performance: created the tab',
      'Signals: created the tab',
      'Positions: created the tab',
      'Controls: created the tab',
    ]);
    expect(changes).toContainEqual({ kind: 'headers', tab: 'Positions', row: 1, column: 1, names: [...POSITIONS_COLUMNS] });
    expect(changes).toContainEqual(
      expect.objectContaining({
        kind: 'rows',
        tab: 'Controls',
        row: 1,
        column: 1,
        rows: [[...CONTROLS_HEADER], ...CONTROL_NAMES.map((n) => [n, n === 'Halt' ? false : '', expect.any(String)])],
      }),
    );
    expect(changes).toContainEqual({ kind: 'checkbox', tab: 'Controls', column: 2, fromRow: 2, toRow: 2, header: 'Halt' });
    expect(changes).toContainEqual({ kind: 'headers', tab: 'Config', row: 1, column: 1, names: [...CONFIG_COLUMNS] });
    expect(changes).toContainEqual({ kind: 'headers', tab: 'Performance', row: 1, column: 1, names: [...PERFORMANCE_COLUMNS] });
    expect(changes.filter((c) => c.kind === 'colour')).toHaveLength(STATUS_COLOURS.length);
    expect(changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['checkbox', 'dropdown', 'dollars', 'freeze', 'bold']));
  });

  it('when the sheet is ready, then it plans nothing', () => {
    const config = tab('Config', [[...CONFIG_COLUMNS], []], { frozenRows: 1, colouredTexts: STATUS_COLOURS.map((s) => s.status) });
    config.top[0] = config.top[0].map((c) => ({ ...c, bold: true }));
    config.top[1] = CONFIG_COLUMNS.map((name) => ({
      value: '',
      validation: ['active', 'extended_hours'].includes(name)
        ? 'BOOLEAN'
        : ['Time Frame', 'direction', 'order_type'].includes(name)
          ? 'ONE_OF_LIST'
          : undefined,
      numberFormat: name === 'position_size' ? 'CURRENCY' : undefined,
    }));
    const plan = planLayout(
      [config, tab('Performance', [['symbol']]), tab('Signals', [['time']]), tab('Positions', [['symbol']]), readyControls()],
      targets,
    );
    expect(plan).toEqual({ changes: [], warnings: [] });
  });

  it(
    'when the Controls tab lost a row and its checkbox, then only the ' + 'missing control is added after the last row, with the checkbox',
    () => {
      const controls = tab('Controls', [
        [...CONTROLS_HEADER],
        ['Flatten', '', ''],
        ['Bot alive', 'x', ''],
        ['', '', ''],
        ['Mode', 'paper', ''],
      ]);
      const { changes } = planLayout([controls], targets);
      const added = changes.filter((c) => c.tab === 'Controls');
      expect(added).toEqual([
        expect.objectContaining({
          kind: 'rows',
          row: 6,
          rows: ['Halt', 'Order events', 'Halted since'].map((n) => [n, n === 'Halt' ? false : '', expect.any(String)]),
        }),
        { kind: 'checkbox', tab: 'Controls', column: 2, fromRow: 6, toRow: 6, header: 'Halt' },
      ]);
      expect(added.map(describeChange)[0]).toBe('Controls: added the controls Halt, Order events, Halted since');
    },
  );

  it(
    'when headers are matched loosely (TICKER, time_frame), then they count as present ' +
      'and only the rest is added after the last used column',
    () => {
      const { changes } = planLayout([tab('Config', [['TICKER', 'Position Size', 'Active', 'time_frame', '', 'notes']])], {
        ...targets,
        formatting: false,
      });
      expect(changes).toContainEqual({
        kind: 'headers',
        tab: 'Config',
        row: 1,
        column: 7,
        names: [
          'direction',
          'Order Status',
          'Last Updated',
          'Reason',
          'risk_pct',
          'trade_window',
          'cooldown_min',
          'order_type',
          'limit_offset_pct',
          'extended_hours',
        ],
      });
    },
  );

  it('when the new columns would pass the grid, then it widens the grid first', () => {
    const { changes } = planLayout([tab('Config', [['symbol', 'position_size', 'active', 'Time Frame']], { columnCount: 5 })], targets);
    expect(changes).toContainEqual({ kind: 'widen', tab: 'Config', columns: 9 });
  });

  it('when the Config tab holds rows without a header, then it warns and plans nothing for it', () => {
    const { changes, warnings } = planLayout([tab('Config', [['AAPL', '5000']])], targets);
    expect(warnings[0]).toMatch(/no header row naming "symbol"/);
    expect(changes.filter((c) => c.tab === 'Config')).toEqual([]);
  });

  it('when the CSV sheet is used, then no format is planned', () => {
    const { changes } = planLayout([], { ...targets, formatting: false });
    expect(changes.map((c) => c.kind).sort()).toEqual([
      'addTab',
      'addTab',
      'addTab',
      'addTab',
      'addTab',
      'headers',
      'headers',
      'headers',
      'headers',
      'rows',
    ]);
  });
});

describe('drop-down values', () => {
  it('when a trader picks any Time Frame from the list, then the bot understands it', () => {
    for (const t of TIMEFRAME_CHOICES) expect([t, normaliseTimeframe(t)]).not.toEqual([t, null]);
  });
});
