import { parseSignal, withoutSecrets } from '../../../src/domain/signal/parse-signal';
import { identify } from '../../../src/domain/signal/signal-identity';

const ok = (body: unknown) => {
  const r = parseSignal(body);
  if (!r.ok) throw new Error(r.error);
  return r.signal;
};
const error = (body: unknown) => {
  const r = parseSignal(body);
  if (r.ok) throw new Error('expected an error');
  return r.error;
};

describe('parseSignal', () => {
  it('when given the seed format, then it reads action, symbol and timeframe', () => {
    expect(ok({ action: 'BUY', symbol: 'aapl', timeframe: '15 Min', secret: 'x' })).toEqual({
      action: 'long',
      symbol: 'AAPL',
      timeframe: '15m',
      timeframeLabel: '15 Min',
    });
    expect(ok({ action: 'SELL', symbol: 'AAPL', timeframe: '15' }).action).toBe('short');
    expect(ok({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' }).action).toBe('close');
  });

  it('when given TradingView placeholders, then ticker, interval, price and times are read', () => {
    const s = ok({
      action: 'buy',
      ticker: 'NASDAQ:MSFT',
      interval: '60',
      price: '412.5',
      time: '2025-10-10T14:30:00Z',
      timenow: '2025-10-10T14:45:01Z',
    });
    expect(s).toMatchObject({
      action: 'long',
      symbol: 'MSFT',
      timeframe: '60m',
      price: 412.5,
      barTime: '2025-10-10T14:30:00.000Z',
      firedAt: '2025-10-10T14:45:01.000Z',
    });
  });

  it('when the action is exit or the sentiment/market_position is flat, then it is a close', () => {
    expect(ok({ action: 'exit', ticker: 'A', interval: 'D' }).action).toBe('close');
    expect(ok({ action: 'sell', sentiment: 'flat', ticker: 'A', interval: 'D' }).action).toBe('close');
    expect(ok({ action: 'buy', market_position: 'flat', ticker: 'A', interval: 'D' }).action).toBe('close');
    expect(ok({ sentiment: 'flat', ticker: 'A', interval: 'D' }).action).toBe('close');
  });

  it(
    'when a strategy alert carries market_position and its sizes, then ' +
      "they are read as the strategy's intent, which decides the action",
    () => {
      const s = ok({
        action: 'sell',
        market_position: 'Long',
        market_position_size: '50',
        prev_market_position: 'long',
        prev_market_position_size: '100',
        ticker: 'A',
        interval: '15',
      });
      expect(s).toMatchObject({
        action: 'long',
        alertAction: 'short',
        strategy: { marketPosition: 'long', size: 50, prevSize: 100, prevMarketPosition: 'long' },
      });
      expect(ok({ action: 'buy', market_position: 'long', ticker: 'A', interval: '15' }).alertAction).toBeUndefined();
      expect(ok({ market_position: 'short', ticker: 'A', interval: '15' })).toMatchObject({
        action: 'short',
        strategy: { marketPosition: 'short' },
      });
      expect(ok({ action: 'BUY', ticker: 'A', interval: '15' }).strategy).toBeUndefined();
    },
  );

  it("when TradersPost's sentiment is sent, then bullish is long, bearish short, flat flat", () => {
    expect(ok({ action: 'buy', sentiment: 'bullish', ticker: 'A', interval: '15' }).strategy).toEqual({ marketPosition: 'long' });
    expect(ok({ action: 'buy', sentiment: 'bearish', ticker: 'A', interval: '15' })).toMatchObject({
      action: 'short',
      strategy: { marketPosition: 'short' },
    });
    expect(ok({ action: 'add', sentiment: 'flat', ticker: 'A', interval: '15' }).action).toBe('close');
  });

  it('when a strategy field is outside its vocabulary or a size is negative or not a number, then the error names the field', () => {
    const base = { action: 'buy', ticker: 'A', interval: '15' };
    expect(error({ ...base, market_position: 'up' })).toMatch(/^market_position "up" must be one of long, short, flat/);
    expect(error({ ...base, sentiment: 'meh' })).toMatch(/^sentiment "meh"/);
    expect(error({ ...base, market_position: 'long', market_position_size: -1 })).toMatch(
      /^market_position_size "-1" must be a number of 0 or more/,
    );
    expect(error({ ...base, market_position: 'long', prev_market_position_size: 'NaN' })).toMatch(/^prev_market_position_size/);
    expect(error({ ...base, market_position: 'long', prev_market_position: 'sideways' })).toMatch(/^prev_market_position "sideways"/);
    expect(error({ ...base, market_position: 'constructor' })).toMatch(/^market_position/);
  });

  it('when fields are missing or wrong, then the error names exactly what is wrong', () => {
    expect(error({ symbol: 'A', timeframe: '15' })).toMatch(/missing action/);
    expect(error({ action: 'hold', symbol: 'A', timeframe: '15' })).toMatch(/unknown action "hold"/);
    expect(error({ action: 'BUY', timeframe: '15' })).toMatch(/missing symbol/);
    expect(error({ action: 'BUY', symbol: 'A' })).toMatch(/missing timeframe/);
    expect(error({ action: 'BUY', symbol: 'A', timeframe: 'soon' })).toMatch(/timeframe "soon"/);
    expect(error({ action: 'BUY', symbol: '=IMPORTXML("x")', timeframe: '15' })).toMatch(/symbol must be/);
    expect(error({ action: 'BUY', symbol: 'A', timeframe: '15', price: '{{close}}' })).toMatch(/price/);
    expect(error({ action: 'BUY', symbol: 'A', timeframe: '15', price: -3 })).toMatch(/price/);
    expect(error({ action: 'BUY', symbol: 'A', timeframe: '15', timenow: 'yesterday' })).toMatch(/not a time/);
    expect(error([1, 2])).toMatch(/JSON object/);
    expect(error(null)).toMatch(/JSON object/);
  });

  it('when the body holds a secret or passphrase, then the journal copy has neither', () => {
    expect(withoutSecrets({ action: 'BUY', secret: 's', passphrase: 'p' })).toEqual({ action: 'BUY' });
  });
});

describe('identify', () => {
  const base = ok({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
  it('when a signal has a time or a timenow, then its identity is stable; with an id alone, only within the window', () => {
    expect(identify({ ...base, firedAt: '2025-01-01T00:00:00.000Z' }).kind).toBe('stable');
    expect(identify({ ...base, barTime: '2025-01-01T00:00:00.000Z' }).kind).toBe('stable');
    expect(identify({ ...base, explicitId: 'abc' }).kind).toBe('window');
    expect(identify(base).kind).toBe('window');
  });

  it(
    'when a strategy sends the same order name ("Long") on every ' + 'trade, then each new bar is a new alert, and a resend is the same',
    () => {
      const long = (time: string) => identify({ ...base, explicitId: 'Long', barTime: time, firedAt: time });
      expect(long('2025-01-01T14:30:00.000Z').key).not.toBe(long('2025-01-01T14:45:00.000Z').key);
      expect(long('2025-01-01T14:30:00.000Z').key).toBe(long('2025-01-01T14:30:00.000Z').key);
    },
  );

  it('when two alerts differ only in symbol, timeframe, id or which time they carry, then their identities differ', () => {
    const t = '2025-01-01T00:00:00.000Z';
    const keys = [
      identify({ ...base, firedAt: t }),
      identify({ ...base, symbol: 'MSFT', firedAt: t }),
      identify({ ...base, timeframe: '60', firedAt: t }),
      identify({ ...base, explicitId: 'Long', firedAt: t }),
      identify({ ...base, explicitId: 'Exit', firedAt: t }),
      identify({ ...base, barTime: t }),
    ].map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
  it(
    'when two partial exits of a strategy share the bar time, the order name and ' +
      'the action word, then the size they leave tells them apart; a resend is the same',
    () => {
      const exit = (size: number, prev: number) =>
        identify({
          ...base,
          action: 'short',
          explicitId: 'Exit',
          barTime: '2025-01-01T14:30:00.000Z',
          strategy: { marketPosition: 'long', size, prevSize: prev },
        }).key;
      expect(exit(50, 100)).not.toBe(exit(25, 50));
      expect(exit(50, 100)).toBe(exit(50, 100));
      expect(identify({ ...base, barTime: 't', strategy: { marketPosition: 'long' } }).key).not.toBe(
        identify({ ...base, barTime: 't' }).key,
      );
    },
  );

  it('when two signals differ in action or time, then their identities differ', () => {
    const t = '2025-01-01T00:00:00.000Z';
    expect(identify({ ...base, firedAt: t }).key).not.toBe(identify({ ...base, action: 'short', firedAt: t }).key);
    expect(identify({ ...base, firedAt: t }).key).not.toBe(identify({ ...base, firedAt: '2025-01-01T00:15:00.000Z' }).key);
    expect(identify({ ...base, firedAt: t }).key).toBe(identify({ ...base, firedAt: t }).key);
  });
});
