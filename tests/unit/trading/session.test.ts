import { sessionLimit } from '../../../src/domain/trading/extended-hours';
import { allDayRegular, newYorkDate, sessionAt, tradingDayOf } from '../../../src/domain/trading/session';

/** 2025-10-08, a Wednesday; New York is on EDT (UTC-4). */
const day = tradingDayOf({ date: '2025-10-08', open: '09:30', close: '16:00', sessionOpen: '0400', sessionClose: '2000' })!;
const ny = (hhmm: string, date = '2025-10-08') => new Date(`${date}T${hhmm}:00-04:00`);

describe('tradingDayOf', () => {
  it("reads Alpaca's HH:MM and HHMM times as New York times", () => {
    expect(day).toEqual({
      date: '2025-10-08',
      sessionOpen: '2025-10-08T08:00:00.000Z',
      open: '2025-10-08T13:30:00.000Z',
      close: '2025-10-08T20:00:00.000Z',
      sessionClose: '2025-10-09T00:00:00.000Z',
    });
  });

  it('follows daylight saving: in December 09:30 New York is 14:30 UTC', () => {
    expect(tradingDayOf({ date: '2025-12-10', open: '09:30', close: '16:00', sessionOpen: '0400', sessionClose: '2000' })!.open).toBe(
      '2025-12-10T14:30:00.000Z',
    );
  });

  it('is null when a time is not a time', () => {
    expect(tradingDayOf({ date: '2025-10-08', open: 'soon', close: '16:00', sessionOpen: '0400', sessionClose: '2000' })).toBeNull();
  });
});

describe('sessionAt', () => {
  it.each([
    ['03:59', 'closed'],
    ['04:00', 'pre'],
    ['08:00', 'pre'],
    ['09:29', 'pre'],
    ['09:30', 'regular'],
    ['15:59', 'regular'],
    ['16:00', 'after'],
    ['19:59', 'after'],
    ['20:00', 'closed'],
    ['21:00', 'closed'],
  ])('when it is %s in New York, then the session is %s', (time, session) => {
    expect(sessionAt(day, ny(time))).toBe(session);
  });

  it('when the calendar has no day (a holiday, a weekend), then it is closed at any hour', () => {
    expect(sessionAt(null, ny('10:00'))).toBe('closed');
  });

  it('when the day closes early, then after-hours starts at the early close', () => {
    const early = tradingDayOf({ date: '2025-11-28', open: '09:30', close: '13:00', sessionOpen: '0400', sessionClose: '1700' })!;
    expect(sessionAt(early, new Date('2025-11-28T12:59:00-05:00'))).toBe('regular');
    expect(sessionAt(early, new Date('2025-11-28T13:00:00-05:00'))).toBe('after');
    expect(sessionAt(early, new Date('2025-11-28T17:00:00-05:00'))).toBe('closed');
  });

  it('when the day is all regular hours (the local paper market), then every moment of the date is regular', () => {
    const local = allDayRegular('2025-10-08');
    expect(sessionAt(local, ny('00:00'))).toBe('regular');
    expect(sessionAt(local, ny('23:59'))).toBe('regular');
  });
});

describe('newYorkDate', () => {
  it('is the New York date, not the UTC one', () => {
    expect(newYorkDate(new Date('2025-10-09T02:00:00Z'))).toBe('2025-10-08');
  });
});

describe('sessionLimit', () => {
  it('in pre-market and after-hours, is a limit at the offset, marked extended hours', () => {
    expect(sessionLimit('pre', { notional: 5000, exit: false }, 0.1)).toEqual({ offsetPct: 0.1, extendedHours: true });
    expect(sessionLimit('after', { qty: 10, exit: true }, 0.25)).toEqual({ offsetPct: 0.25, extendedHours: true });
  });

  it('in regular hours and outside every session, is nothing: the order goes as it would', () => {
    expect(sessionLimit('regular', { notional: 5000, exit: false }, 0.1)).toBeUndefined();
    expect(sessionLimit('closed', { notional: 5000, exit: false }, 0.1)).toBeUndefined();
  });

  it('sends a fractional exit as it was (for the open) rather than leave part of the position', () => {
    expect(sessionLimit('pre', { qty: 10.5, exit: true }, 0.1)).toBeUndefined();
    expect(sessionLimit('pre', { qty: 10.5, exit: false }, 0.1)).toEqual({ offsetPct: 0.1, extendedHours: true });
  });
});
