import { CONTROL_NAMES, flattenCommand, isTicked, newControlsRows, readControls } from '../../../src/domain/sheet/controls';

describe('reading the Controls tab', () => {
  it('when the trader moved the rows and spelled a name in other case, then each control is still found by its name', () => {
    const layout = readControls([['control', 'value', 'note'], ['mode', 'paper'], ['HALT', true, 'lunch'], [], ['Flatten', 'FLATTEN']]);
    expect(layout.cells.Halt).toEqual({ row: 3, value: true, note: 'lunch' });
    expect(layout.cells.Mode?.row).toBe(2);
    expect(layout.cells.Flatten?.value).toBe('FLATTEN');
    expect(layout.missing).toEqual(['Bot alive', 'Order events', 'Halted since']);
    expect(layout.nextRow).toBe(6);
    expect(layout.empty).toBe(false);
  });

  it('when the tab is empty, then every control is missing and the header is needed', () => {
    expect(readControls([])).toMatchObject({ missing: [...CONTROL_NAMES], nextRow: 1, empty: true });
  });

  it('when a checkbox or a CSV cell says TRUE, then Halt is ticked; anything else is not', () => {
    expect([true, 'TRUE', ' true ', false, 'FALSE', '', 'yes', 1].map(isTicked)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('when the Flatten cell holds the command (any case), another word, or nothing, then each is told apart', () => {
    expect(['FLATTEN', ' flatten ', 'Flatten', 'close all', '', 0].map(flattenCommand)).toEqual([
      'flatten',
      'flatten',
      'flatten',
      'other',
      'none',
      'other',
    ]);
  });

  it('when a new tab is laid out, then its header comes first and one row per control follows, with its value', () => {
    const rows = newControlsRows({
      Halt: false,
      Flatten: '',
      'Bot alive': '',
      Mode: 'local',
      'Order events': 'polling',
      'Halted since': '',
    });
    expect(rows[0]).toEqual(['control', 'value', 'note']);
    expect(rows.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ['Halt', false],
      ['Flatten', ''],
      ['Bot alive', ''],
      ['Mode', 'local'],
      ['Order events', 'polling'],
      ['Halted since', ''],
    ]);
  });
});
