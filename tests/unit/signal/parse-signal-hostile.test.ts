import { parseSignal } from '../../../src/domain/signal/parse-signal';

describe('parseSignal against hostile input', () => {
  it.each(['constructor', '__proto__', 'CONSTRUCTOR', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'])(
    'when the action is %p (a member of every object), then it is refused, never taken as an action',
    (action) => {
      expect(parseSignal({ action, symbol: 'AAPL', timeframe: '15' })).toEqual({
        ok: false,
        error: expect.stringMatching(/^unknown action/),
      });
    },
  );

  it('when __proto__ is a key of the body, then it neither supplies fields nor breaks the parse', () => {
    const body = JSON.parse('{"__proto__":{"action":"buy"},"symbol":"AAPL","timeframe":"15"}');
    expect(parseSignal(body)).toEqual({ ok: false, error: 'missing action: send BUY, SELL or CLOSE' });
  });
});
