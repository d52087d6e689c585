/**
 * The Config column table is honoured everywhere it is read: every entry by
 * the parser, by sheet:init's plan and by the local seed, so a new entry
 * can't be wired half-way.
 */
import { EXAMPLE_CONFIG } from '../../../src/local-mode';
import {
  CONFIG_COLUMNS,
  planLayout,
  STATUS_COLOURS,
  type CellFacts,
  type LayoutChange,
  type TabFacts,
} from '../../../src/domain/sheet/sheet-layout';
import { rowMapper } from '../../../src/domain/sheet/row-identity';
import type { InitFormat } from '../../../src/domain/trading/config-column-spec';
import {
  CONFIG_COLUMN_TABLE,
  type ConfigColumn,
  REQUIRED_COLUMNS,
  seedConfig,
  SETTING_COLUMNS,
} from '../../../src/domain/trading/config-columns';
import { ConfigLayoutError, parseConfigTable, type ConfigRow } from '../../../src/domain/trading/config-table';
import { LAYOUT_TARGETS } from '../../support/layout-targets';

const headers = CONFIG_COLUMN_TABLE.map((c) => c.header);
const targets = LAYOUT_TARGETS;
const initColumns = CONFIG_COLUMN_TABLE.filter((c): c is ConfigColumn & { init: InitFormat } => c.init !== undefined);
/** The ways a trader may write a column's header. */
const spellingsOf = (c: ConfigColumn) => [
  c.header,
  c.header.toUpperCase(),
  c.header.replace(/_/g, ' '),
  c.header.replace(/ /g, '_').toLowerCase(),
  ...c.spellings,
];
/** One row under the full header: every column's example, with `cells` instead where given. */
const rowWith = (cells: Record<string, string> = {}): ConfigRow =>
  parseConfigTable([headers, CONFIG_COLUMN_TABLE.map((c) => cells[c.header] ?? (c.role === 'bot' ? '' : c.example))]).rows[0];
/** What a row trades on: everything but its problem and what its status cells show. */
const settings = ({ problem: _p, shown: _s, ...rest }: ConfigRow) => rest;
const JUNK = 'not a value ☹';

describe('the Config column table', () => {
  it('keeps every header the product is checked by, each key and header once', () => {
    expect(headers).toEqual(
      expect.arrayContaining([
        'symbol',
        'position_size',
        'active',
        'Time Frame',
        'direction',
        'Order Status',
        'Last Updated',
        'Reason',
        'stop_loss_pct',
        'take_profit_pct',
        'trail_pct',
        'Position',
      ]),
    );
    expect(new Set(CONFIG_COLUMN_TABLE.map((c) => c.key)).size).toBe(CONFIG_COLUMN_TABLE.length);
    expect(new Set(headers.map((h) => h.toLowerCase())).size).toBe(headers.length);
  });
});

describe('the parser honours every entry', () => {
  it.each(CONFIG_COLUMN_TABLE.map((c) => [c.header, c] as const))('finds %s under each of its spellings', (_, column) => {
    for (const spelling of spellingsOf(column)) {
      const header = headers.map((h) => (h === column.header ? spelling : h));
      const found = expect.objectContaining({ [column.key]: headers.indexOf(column.header) });
      expect([spelling, parseConfigTable([header]).columns]).toEqual([spelling, found]);
    }
  });

  it.each(CONFIG_COLUMN_TABLE.map((c) => [c.header, c] as const))('needs %s only when it is required', (_, column) => {
    const without = [headers.filter((h) => h !== column.header)];
    if (column.required) expect(() => parseConfigTable(without)).toThrow(ConfigLayoutError);
    else expect(parseConfigTable(without).columns).not.toHaveProperty(column.key);
  });

  it('reads a row of examples without a problem', () => {
    expect(rowWith().problem).toBeUndefined();
  });

  const settingCases = SETTING_COLUMNS.map((c) => [c.header, c] as const);
  it.each(settingCases)('reads %s: its example reaches the row, a bad value is a problem naming it', (_, column) => {
    expect(settings(rowWith())).not.toEqual(settings(rowWith({ [column.header]: '' })));
    const bad = rowWith({ [column.header]: JUNK }).problem;
    if (bad !== undefined) expect(bad).toContain(column.header);
  });

  it('voids a whole group when one of its cells has a problem', () => {
    const groups = new Set(SETTING_COLUMNS.flatMap((c) => (c.group ? [c.group] : [])));
    for (const group of groups) {
      const members = SETTING_COLUMNS.filter((c) => c.group === group);
      const blank = settings(rowWith(Object.fromEntries(members.map((c) => [c.header, '']))));
      for (const bad of members.filter((c) => rowWith({ [c.header]: JUNK }).problem !== undefined)) {
        expect(settings(rowWith({ [bad.header]: JUNK }))).toEqual(blank);
      }
    }
  });

  it('tells Config rows apart by the key columns, whatever their spelling', () => {
    const keys = CONFIG_COLUMN_TABLE.filter((c) => c.role === 'key');
    for (let n = 0; n < Math.max(...keys.map((c) => spellingsOf(c).length)); n++) {
      const header = keys.map((c) => spellingsOf(c)[n % spellingsOf(c).length]);
      const rows = [header, ['AAPL', '15 Min'], ['MSFT', '1 Hour']];
      expect(rowMapper(rows, [header, rows[2], rows[1]])(1)).toBe(2);
    }
  });
});

describe("sheet:init's plan honours every entry", () => {
  const tab = (top: CellFacts[][], extra: Partial<TabFacts> = {}): TabFacts => ({
    title: 'Config',
    top,
    frozenRows: 0,
    columnCount: 26,
    colouredTexts: [],
    ...extra,
  });
  const configChanges = (facts: TabFacts[]) => planLayout(facts, targets).changes.filter((c) => c.tab === 'Config');
  /** What each format plans for a column on a new tab. */
  const expected = (c: ConfigColumn & { init: InitFormat }, column: number): LayoutChange[] => {
    const at = { tab: 'Config', column, fromRow: 2, header: c.header };
    if (c.init === 'plain') return [];
    if (c.init === 'checkbox') return [{ kind: 'checkbox', ...at }];
    if (c.init === 'dollars') return [{ kind: 'dollars', ...at }];
    if (c.init === 'status colours') {
      return STATUS_COLOURS.map(({ status, name, colour }) => ({ kind: 'colour', ...at, text: status, name, colour }));
    }
    return [{ kind: 'dropdown', ...at, values: [...c.init.dropdown] }];
  };
  /** The first cell under a header, as a prepared sheet has it. */
  const ready = (c: ConfigColumn): CellFacts => ({
    value: '',
    validation: c.init === 'checkbox' ? 'BOOLEAN' : typeof c.init === 'object' ? 'ONE_OF_LIST' : undefined,
    numberFormat: c.init === 'dollars' ? 'CURRENCY' : undefined,
  });

  it('adds the entries with an init format, in table order, and only those', () => {
    expect(CONFIG_COLUMNS).toEqual(initColumns.map((c) => c.header));
    const names = initColumns.map((c) => c.header);
    expect(configChanges([])).toContainEqual({ kind: 'headers', tab: 'Config', row: 1, column: 1, names });
  });

  it.each(initColumns.map((c, i) => [c.header, c, i + 1] as const))('plans %s with its format on a new tab', (_, column, at) => {
    const planned = configChanges([]).filter((c) => 'column' in c && c.column === at && c.kind !== 'headers');
    expect(planned).toEqual(expected(column, at));
  });

  // The header row is the one naming symbol, so only the other columns can be missing from it.
  const addable = initColumns.filter((c) => c.key !== 'symbol');
  const addableCases = addable.map((c) => [c.header, c] as const);
  it.each(addableCases)('adds %s alone when only it is missing, whatever the others are spelled', (_, column) => {
    const others = initColumns.filter((c) => c !== column).map((c, i) => ({ value: spellingsOf(c)[i % spellingsOf(c).length] }));
    const changes = configChanges([tab([others])]);
    expect(changes).toContainEqual({ kind: 'headers', tab: 'Config', row: 1, column: others.length + 1, names: [column.header] });
    const at = others.length + 1;
    expect(changes.filter((c) => 'column' in c && c.column === at && c.kind !== 'headers')).toEqual(expected(column, at));
  });

  it('plans nothing for a Config tab prepared as the table says', () => {
    const header = initColumns.map((c) => ({ value: c.header, bold: true }));
    const facts = tab([header, initColumns.map(ready)], { frozenRows: 1, colouredTexts: STATUS_COLOURS.map((s) => s.status) });
    expect(configChanges([facts])).toEqual([]);
  });

  it('never adds the entries without an init format', () => {
    const header = CONFIG_COLUMN_TABLE.filter((c) => c.init === undefined || c.required).map((c) => ({ value: c.header }));
    const added = configChanges([tab([header])]).flatMap((c) => (c.kind === 'headers' ? c.names : []));
    expect(added).toEqual(initColumns.filter((c) => !c.required).map((c) => c.header));
  });
});

describe('the local seed honours every entry', () => {
  const seeded = CONFIG_COLUMN_TABLE.filter((c) => c.local !== undefined);

  it('has the entries with a local value, in table order, every required one among them', () => {
    expect(EXAMPLE_CONFIG[0]).toEqual(seeded.map((c) => c.header));
    for (const c of REQUIRED_COLUMNS) expect(seeded).toContain(c);
  });

  it("gives a row that names nothing each column's local value; every example row is as wide as the header", () => {
    expect(seedConfig([{}])[1]).toEqual(seeded.map((c) => c.local));
    for (const row of EXAMPLE_CONFIG) expect(row).toHaveLength(seeded.length);
  });

  it('parses without a problem, and the columns the bot writes start at their local value', () => {
    const table = parseConfigTable(EXAMPLE_CONFIG);
    expect([table.skipped, table.rows.map((r) => r.problem)]).toEqual([[], EXAMPLE_CONFIG.slice(1).map(() => undefined)]);
    for (const c of seeded.filter((s) => s.role === 'bot')) {
      expect(EXAMPLE_CONFIG.slice(1).map((row) => row[seeded.indexOf(c)])).toEqual(EXAMPLE_CONFIG.slice(1).map(() => c.local));
    }
  });
});
