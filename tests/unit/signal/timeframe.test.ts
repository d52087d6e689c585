import { normaliseTimeframe } from '../../../src/domain/signal/timeframe';

describe('normaliseTimeframe', () => {
  it.each(['15', '15m', '15min', '15 Min', '15 minutes', '15 MIN', ' 15 mins '])('when given %p, then it is the 15-minute key', (text) =>
    expect(normaliseTimeframe(text)).toBe('15m'),
  );
  it.each(['60', '1H', '1h', '1 Hour', '60 Min', '1 hr'])('when given %p, then it is one hour', (text) =>
    expect(normaliseTimeframe(text)).toBe('60m'),
  );
  it.each(['240', '4H', '4 hours'])('when given %p, then it is four hours', (text) => expect(normaliseTimeframe(text)).toBe('240m'));
  it.each(['D', '1D', '1 Day', 'day'])('when given %p, then it is one day', (text) => expect(normaliseTimeframe(text)).toBe('1D'));
  it.each(['W', '1W', '1 Week'])('when given %p, then it is one week', (text) => expect(normaliseTimeframe(text)).toBe('1W'));
  it('when given TradingView month "M" or "3M", then it is months, not minutes', () => {
    expect(normaliseTimeframe('M')).toBe('1M');
    expect(normaliseTimeframe('3M')).toBe('3M');
    expect(normaliseTimeframe('3m')).toBe('3m');
  });
  it.each(['', 'abc', '15 parsecs', '-5', '0', '1.5', 'min', '15;DROP'])('when given %p, then it is not a timeframe', (text) =>
    expect(normaliseTimeframe(text)).toBeNull(),
  );
});
