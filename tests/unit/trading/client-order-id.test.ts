import { clientOrderId, isBotOrder } from '../../../src/domain/trading/client-order-id';

describe('the bot recognises its own orders', () => {
  it('when an id is one the bot sends, then it is the bot\'s', () => {
    expect(isBotOrder(clientOrderId('mi4b2c3d0123456789', 'open'))).toBe(true);
    expect(isBotOrder(clientOrderId('mi4b2c3d0123456789', 'flatten'))).toBe(true);
  });

  it('when an id was sent before the prefix existed (<signal id>-open/-close), then it is still the bot\'s', () => {
    expect(isBotOrder(`${Date.UTC(2026, 10, 30).toString(36)}a1b2c3d4e5-open`)).toBe(true);
    expect(isBotOrder(`${Date.UTC(2026, 10, 30).toString(36)}a1b2c3d4e5-close`)).toBe(true);
  });

  it('when an order was placed by hand or by another tool, then it is not the bot\'s', () => {
    for (const id of [undefined, '', 'my-order-1', 'a1b2c3d4e5-open', 'TB-x-open', `${Date.now().toString(36)}a1b2c3d4e5-sell`, 'x'.repeat(40) + '-open']) {
      expect(isBotOrder(id)).toBe(false);
    }
  });
});
