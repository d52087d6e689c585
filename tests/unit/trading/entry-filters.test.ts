/** The entry filters' rules: reading trade_window and cooldown_min, New York time, the cooldown's end, MAX_OPEN_POSITIONS. */
import { parseConfigTable } from '../../../src/domain/trading/config-table';
import {
  cooldownEnd,
  insideWindow,
  maxOpenReason,
  parseCooldown,
  parseTradeWindow,
  rowFilterReason,
  type TradeWindow,
} from '../../../src/domain/trading/entry-filters';
import { parseSafetySettings } from '../../../src/settings/safety';

/** 2025-10-10 (EDT, UTC-4) at a New York time. */
const ny = (hhmm: string, seconds = 0) => new Date(`2025-10-10T${hhmm}:${String(seconds).padStart(2, '0')}-04:00`);
const windowOf = (text: string): TradeWindow => {
  const read = parseTradeWindow('trade_window', text);
  if (!('window' in read) || !read.window) throw new Error(`not a window: ${text}`);
  return read.window;
};

describe('parseTradeWindow', () => {
  it('when ranges are typed loosely, then they are read and normalised to HH:MM-HH:MM joined by ", "', () => {
    expect(windowOf('09:45-15:30').text).toBe('09:45-15:30');
    expect(windowOf('9:45 - 11:30;13:30–15:30').text).toBe('09:45-11:30, 13:30-15:30');
    expect(windowOf('09:45-11:30, 13:30-15:30').ranges).toEqual([
      { start: 585, end: 690 },
      { start: 810, end: 930 },
    ]);
  });

  it('when the cell is blank, then there is no window', () => {
    expect(parseTradeWindow('trade_window', '  ')).toEqual({});
  });

  it.each(['lunchtime', '9-5', '09:45', '25:00-26:00', '09:60-10:00', '09:45-15:30,', '24:00-01:00'])(
    'when the cell is "%s", then the problem names the column and shows a good value',
    (text) => {
      const read = parseTradeWindow('trade_window', text);
      expect(read).toEqual({ error: expect.stringMatching(/^trade_window ".*" .*09:45-15:30/) });
    },
  );

  it('when a range starts and ends at the same time, then it is a problem', () => {
    expect(parseTradeWindow('trade_window', '10:00-10:00')).toEqual({ error: expect.stringMatching(/same time.*09:45-15:30/) });
  });
});

describe('insideWindow (New York time)', () => {
  const w = windowOf('09:45-11:30, 13:30-15:30');

  it('when the time is in a range, both end minutes included, then it is inside; between or outside the ranges it is not', () => {
    expect(insideWindow(w, ny('09:44', 59))).toBe(false);
    expect(insideWindow(w, ny('09:45'))).toBe(true);
    expect(insideWindow(w, ny('11:30', 59))).toBe(true);
    expect(insideWindow(w, ny('11:31'))).toBe(false);
    expect(insideWindow(w, ny('12:00'))).toBe(false);
    expect(insideWindow(w, ny('15:30', 30))).toBe(true);
    expect(insideWindow(w, ny('15:31'))).toBe(false);
  });

  it('when the server runs in UTC, then the window is still New York time (10:00 ET is 14:00 UTC)', () => {
    expect(insideWindow(windowOf('09:45-10:15'), new Date('2025-10-10T14:00:00Z'))).toBe(true);
    expect(insideWindow(windowOf('13:45-14:15'), new Date('2025-10-10T14:00:00Z'))).toBe(false);
    // In winter New York is UTC-5: 10:00 ET is 15:00 UTC.
    expect(insideWindow(windowOf('09:45-10:15'), new Date('2025-01-10T15:00:00Z'))).toBe(true);
  });

  it('when a range ends before it starts, then it runs past midnight', () => {
    const night = windowOf('22:00-02:00');
    expect(insideWindow(night, ny('23:30'))).toBe(true);
    expect(insideWindow(night, ny('01:59'))).toBe(true);
    expect(insideWindow(night, ny('12:00'))).toBe(false);
  });
});

describe('parseCooldown and the cooldown', () => {
  it('when minutes are typed or a number cell, then they are read; blank and 0 mean none', () => {
    expect(parseCooldown('cooldown_min', '30')).toEqual({ minutes: 30 });
    expect(parseCooldown('cooldown_min', 7.5)).toEqual({ minutes: 7.5 });
    expect(parseCooldown('cooldown_min', '')).toEqual({});
    expect(parseCooldown('cooldown_min', '0')).toEqual({});
  });

  it.each(['soon', '-5', '30 min', '20000'])('when the cell is "%s", then the problem names the column and shows a good value', (text) => {
    expect(parseCooldown('cooldown_min', text)).toEqual({ error: expect.stringMatching(/^cooldown_min ".*" .*e\.g\. 30/) });
  });

  it('when the position went flat at 10:12 with 30 minutes, then entries wait until 10:42 ET and go from then', () => {
    const flatSince = ny('10:12').getTime();
    expect(cooldownEnd(flatSince, 30)).toBe(ny('10:42').getTime());
    expect(rowFilterReason({ cooldownMin: 30, flatSince, now: ny('10:20') })).toBe('cooling down until 10:42 ET');
    expect(rowFilterReason({ cooldownMin: 30, flatSince, now: ny('10:42') })).toBeUndefined();
    expect(rowFilterReason({ cooldownMin: 30, now: ny('10:20') })).toBeUndefined(); // never flat, or holding: no cooldown
  });

  it('when outside the window, then that is the reason; inside it, the cooldown may still hold', () => {
    const window = windowOf('9:45-15:30');
    expect(rowFilterReason({ window, now: ny('09:30') })).toBe('outside trading window 09:45-15:30 ET');
    expect(rowFilterReason({ window, now: ny('10:00') })).toBeUndefined();
    expect(rowFilterReason({ window, cooldownMin: 5, flatSince: ny('09:58').getTime(), now: ny('10:00') })).toBe(
      'cooling down until 10:03 ET',
    );
  });
});

describe('MAX_OPEN_POSITIONS', () => {
  it('when N other symbols are held, then a new one waits; the symbol itself never counts', () => {
    expect(maxOpenReason(['AAPL', 'MSFT'], 'TSLA', 2)).toBe('max open positions (2) reached');
    expect(maxOpenReason(['AAPL'], 'TSLA', 2)).toBeUndefined();
    expect(maxOpenReason(['AAPL', 'MSFT'], 'MSFT', 2)).toBeUndefined();
  });

  it('when set, then it is a whole number from 1; anything else names the setting and the fix', () => {
    const local = { alpacaConfigured: false };
    expect(parseSafetySettings({}, local).maxOpenPositions).toBeUndefined();
    expect(parseSafetySettings({ MAX_OPEN_POSITIONS: '5' }, local).maxOpenPositions).toBe(5);
    for (const bad of ['0', 'five', '2.5', '-1'])
      expect(() => parseSafetySettings({ MAX_OPEN_POSITIONS: bad }, local)).toThrow(/MAX_OPEN_POSITIONS=".*".*MAX_OPEN_POSITIONS=5/);
  });
});

describe('the Config columns', () => {
  const header = ['symbol', 'position_size', 'active', 'Time Frame', 'trade_window', 'cooldown_min'];

  it('when the cells are good, then the row carries its window and cooldown; blank cells leave them out', () => {
    const { rows } = parseConfigTable([
      header,
      ['AAPL', '5000', 'TRUE', '15 Min', '9:45-15:30', 30],
      ['MSFT', '5000', 'TRUE', '15 Min', '', ''],
    ]);
    expect(rows[0]).toMatchObject({ tradeWindow: { text: '09:45-15:30' }, cooldownMin: 30 });
    expect(rows[0].problem).toBeUndefined();
    expect(rows[1].tradeWindow).toBeUndefined();
    expect(rows[1].cooldownMin).toBeUndefined();
    expect(rows[1].problem).toBeUndefined();
  });

  it('when a cell cannot be read, then the row has a problem naming the column with a good value', () => {
    const { rows } = parseConfigTable([
      header,
      ['AAPL', '5000', 'TRUE', '15 Min', 'mornings', ''],
      ['MSFT', '5000', 'TRUE', '15 Min', '', 'soon'],
      ['TSLA', '5000', 'TRUE', '15 Min', 0.40625, ''], // a time the sheet turned into a number
    ]);
    expect(rows[0].problem).toMatch(/^trade_window "mornings" is not understood: .*09:45-15:30/);
    expect(rows[1].problem).toMatch(/^cooldown_min "soon" .*e\.g\. 30/);
    expect(rows[2].problem).toMatch(/^trade_window "0\.40625"/);
  });
});
