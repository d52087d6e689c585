import { parseCli, resolveWindow, UsageError } from '../../../analytics/args';

const NOW = new Date('2025-03-14T21:30:00Z'); // 17:30 in New York (EDT)

describe('parseCli', () => {
  it('when no flags are given, then charts are on, nothing is sent and the window is the default', () => {
    expect(parseCli([])).toEqual({
      days: undefined,
      from: undefined,
      to: undefined,
      out: undefined,
      charts: true,
      json: false,
      help: false,
      channels: [],
      all: false,
    });
  });

  it('when flags are given, then each is read', () => {
    expect(parseCli(['--days', '90', '--no-charts', '--json', '--email', '--slack', '--out', '/tmp/x'])).toMatchObject({
      days: 90,
      charts: false,
      json: true,
      channels: ['email', 'slack'],
      out: '/tmp/x',
    });
  });

  it.each([
    [['--bogus']],
    [['--days', 'ten']],
    [['--days', '0']],
    [['--days', '1.5']],
    [['extra']],
    [['--from', '2025-01-01', '--to', '2025-02-01', '--days', '3']],
  ])('when the flags are %j, then it is a usage error', (argv) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
  });
});

describe('resolveWindow', () => {
  it('when only --days is given, then the window starts at midnight New York that many days ago and ends now', () => {
    const w = resolveWindow({ days: 30 }, NOW);
    expect(w.from.toISOString()).toBe('2025-02-12T05:00:00.000Z');
    expect(w.to).toEqual(NOW);
  });

  it('when --from and --to are given, then they are whole New York market days', () => {
    const w = resolveWindow({ from: '2025-01-02', to: '2025-01-31' }, NOW);
    expect(w.from.toISOString()).toBe('2025-01-02T05:00:00.000Z');
    expect(w.to.toISOString()).toBe('2025-02-01T04:59:59.999Z');
  });

  it.each([
    [{ from: '2025-13-01' }, /--from must be a date/],
    [{ to: '31/01/2025' }, /--to must be a date/],
    [{ from: '2025-02-01', to: '2025-01-01' }, /after --to/],
    [{ to: '2025-03-20' }, /in the future/],
  ])('when the dates are %j, then it is a usage error', (opts, message) => {
    expect(() => resolveWindow(opts, NOW)).toThrow(message);
  });
});
