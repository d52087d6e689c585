import { limitPriceFrom } from '../../../src/domain/trading/limit-price';
import { ALPACA_RULES } from '../../../src/adapters/alpaca/rules';

const equity = ALPACA_RULES.byAssetClass.us_equity;

describe('limitPriceFrom', () => {
  it('prices a buy above the last trade and a sell below it, on the cent', () => {
    expect(limitPriceFrom('buy', 187.42, 0.1, equity)).toBe(187.61);
    expect(limitPriceFrom('sell', 187.42, 0.1, equity)).toBe(187.23);
  });

  it('uses hundredths of a cent under $1', () => {
    expect(limitPriceFrom('buy', 0.5123, 0.5, equity)).toBe(0.5149);
    expect(limitPriceFrom('sell', 0.5123, 0.5, equity)).toBe(0.5097);
  });

  it('with no offset, is the last trade on the tick', () => {
    expect(limitPriceFrom('buy', 100.004, 0, equity)).toBe(100);
  });

  it('never prices a sell at zero or below', () => {
    expect(limitPriceFrom('sell', 0.0001, 100, equity)).toBe(0.0001);
  });
});
