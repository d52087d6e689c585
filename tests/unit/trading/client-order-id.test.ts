import { clientOrderId, isBotOrder } from '../../../src/domain/trading/client-order-id';
import { RejectedError } from '../../../src/domain/errors';
import { ALPACA_RULES } from '../../../src/adapters/alpaca/rules';

describe('the bot recognises its own orders', () => {
  it("when an id is one the bot sends, then it is the bot's", () => {
    expect(isBotOrder(clientOrderId('mi4b2c3d0123456789', 'open', ALPACA_RULES))).toBe(true);
    expect(isBotOrder(clientOrderId('mi4b2c3d0123456789', 'flatten', ALPACA_RULES))).toBe(true);
  });

  it("when an id was sent before the prefix existed (<signal id>-open/-close), then it is still the bot's", () => {
    expect(isBotOrder(`${Date.UTC(2026, 10, 30).toString(36)}a1b2c3d4e5-open`)).toBe(true);
    expect(isBotOrder(`${Date.UTC(2026, 10, 30).toString(36)}a1b2c3d4e5-close`)).toBe(true);
  });

  it("when an order was placed by hand or by another tool, then it is not the bot's", () => {
    for (const id of [
      undefined,
      '',
      'my-order-1',
      'a1b2c3d4e5-open',
      'TB-x-open',
      `${Date.now().toString(36)}a1b2c3d4e5-sell`,
      'x'.repeat(40) + '-open',
    ]) {
      expect(isBotOrder(id)).toBe(false);
    }
  });
});

describe("the broker's longest client order id", () => {
  it('when an id fits, then it is tb-<signal id>-<leg>, numbered from the second placement', () => {
    expect(clientOrderId('mi4b2c3d0123456789', 'sl', ALPACA_RULES, 2)).toBe('tb-mi4b2c3d0123456789-sl2');
  });

  it("when an id would be longer than the broker's rules allow, then it is refused before anything is sent", () => {
    expect(() => clientOrderId('mi4b2c3d0123456789', 'flatten', { maxClientOrderIdLength: 20 })).toThrow(RejectedError);
    expect(() => clientOrderId('mi4b2c3d0123456789', 'flatten', { maxClientOrderIdLength: 20 })).toThrow(
      /longer than the broker's 20 characters/,
    );
  });
});
