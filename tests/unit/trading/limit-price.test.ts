import { limitPriceFrom, limitQty, parseLimitOffset, parseOrderType } from '../../../src/domain/trading/limit-price';
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

describe('parseOrderType', () => {
  it('reads market and limit in any case; blank is market (no setting)', () => {
    expect(parseOrderType('order_type', ' Limit ')).toEqual({ type: 'limit' });
    expect(parseOrderType('order_type', 'MARKET')).toEqual({ type: 'market' });
    expect(parseOrderType('order_type', '')).toEqual({});
  });

  it('names the column and a good value for anything else', () => {
    expect(parseOrderType('order_type', 'stop')).toEqual({ error: 'order_type "stop" must be market or limit, e.g. limit' });
  });
});

describe('parseLimitOffset', () => {
  it('reads a percentage, with or without %, from -5 to 5', () => {
    expect(parseLimitOffset('limit_offset_pct', '0.25')).toEqual({ pct: 0.25 });
    expect(parseLimitOffset('limit_offset_pct', '0.5 %')).toEqual({ pct: 0.5 });
    expect(parseLimitOffset('limit_offset_pct', '-1')).toEqual({ pct: -1 });
    expect(parseLimitOffset('limit_offset_pct', '.1')).toEqual({ pct: 0.1 });
    expect(parseLimitOffset('limit_offset_pct', '')).toEqual({});
  });

  it.each(['abc', '5.01', '-6', '1,5', '0.1.2'])('names the column and a good value for %p', (text) => {
    expect(parseLimitOffset('limit_offset_pct', text)).toEqual({
      error: `limit_offset_pct "${text}" must be a percentage from -5 to 5, e.g. 0.1`,
    });
  });
});

describe('limitQty', () => {
  it('keeps a share count as it is', () => {
    expect(limitQty({ qty: 7 }, 190.19, false)).toBe(7);
  });

  it('turns dollars into shares at the limit, never costing more than the dollars', () => {
    const qty = limitQty({ notional: 5000 }, 190.48, false)!;
    expect(qty * 190.48).toBeLessThanOrEqual(5000);
    expect(qty).toBeCloseTo(26.249475, 6);
  });

  it('gives whole shares when asked, and none when the dollars buy no share', () => {
    expect(limitQty({ notional: 5000 }, 190.48, true)).toBe(26);
    expect(limitQty({ notional: 100 }, 190.48, true)).toBeUndefined();
  });

  it('floors a share count to whole shares when asked (extended hours)', () => {
    expect(limitQty({ qty: 3.7 }, 190.19, true)).toBe(3);
    expect(limitQty({ qty: 0.5 }, 190.19, true)).toBeUndefined();
    expect(limitQty({ qty: 3.7 }, 190.19, false)).toBe(3.7);
  });
});
