import { CONFIG_COLUMNS, describeChange, planLayout, STATUS_COLOURS, TIMEFRAME_CHOICES, type TabFacts } from '../../src/domain/sheet-layout';
import { PERFORMANCE_COLUMNS } from '../../src/domain/performance';
import { normaliseTimeframe } from '../../src/domain/timeframe';

const targets = { configTab: 'Config', performanceTab: 'Performance', signalsTab: 'Signals', formatting: true };
const tab = (title: string, rows: string[][], extra: Partial<TabFacts> = {}): TabFacts => ({
  title, top: rows.map((r) => r.map((value) => ({ value }))), frozenRows: 0, columnCount: 26, colouredTexts: [], ...extra,
});

describe('planLayout', () => {
  it('when nothing exists, then it adds the three tabs first, then headers and every format', () => {
    const { changes, warnings } = planLayout([], targets);
    expect(warnings).toEqual([]);
    expect(changes.slice(0, 3).map(describeChange)).toEqual(['Config: created the tab', 'Performance: created the tab', 'Signals: created the tab']);
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
      validation: name === 'active' ? 'BOOLEAN' : ['Time Frame', 'direction'].includes(name) ? 'ONE_OF_LIST' : undefined,
      numberFormat: name === 'position_size' ? 'CURRENCY' : undefined,
    }));
    const plan = planLayout([config, tab('Performance', [['symbol']]), tab('Signals', [['time']])], targets);
    expect(plan).toEqual({ changes: [], warnings: [] });
  });

  it('when headers are matched loosely (TICKER, time_frame), then they count as present and only the rest is added after the last used column', () => {
    const { changes } = planLayout([tab('Config', [['TICKER', 'Position Size', 'Active', 'time_frame', '', 'notes']])], { ...targets, formatting: false });
    expect(changes).toContainEqual({ kind: 'headers', tab: 'Config', row: 1, column: 7, names: ['direction', 'Order Status', 'Last Updated', 'Reason'] });
  });

  it('when the new columns would pass the grid, then it widens the grid first', () => {
    const { changes } = planLayout([tab('Config', [['symbol', 'position_size', 'active', 'Time Frame']], { columnCount: 5 })], targets);
    expect(changes).toContainEqual({ kind: 'widen', tab: 'Config', columns: 3 });
  });

  it('when the Config tab holds rows without a header, then it warns and plans nothing for it', () => {
    const { changes, warnings } = planLayout([tab('Config', [['AAPL', '5000']])], targets);
    expect(warnings[0]).toMatch(/no header row naming "symbol"/);
    expect(changes.filter((c) => c.tab === 'Config')).toEqual([]);
  });

  it('when the CSV sheet is used, then no format is planned', () => {
    const { changes } = planLayout([], { ...targets, formatting: false });
    expect(changes.map((c) => c.kind).sort()).toEqual(['addTab', 'addTab', 'addTab', 'headers', 'headers', 'headers']);
  });
});

describe('drop-down values', () => {
  it('when a trader picks any Time Frame from the list, then the bot understands it', () => {
    for (const t of TIMEFRAME_CHOICES) expect([t, normaliseTimeframe(t)]).not.toEqual([t, null]);
  });
});
