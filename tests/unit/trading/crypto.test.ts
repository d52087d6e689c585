import { belowMinimum, onIncrement, withTimeInForce } from '../../../src/domain/trading/crypto';
import type { Asset } from '../../../src/domain/types';

const btc: Asset = {
  symbol: 'BTC/USD',
  tradable: true,
  fractionable: true,
  shortable: false,
  easyToBorrow: false,
  assetClass: 'crypto',
  minOrderSize: 0.0001,
  minTradeIncrement: 0.000001,
};

describe('crypto orders', () => {
  it('when a crypto order has no time in force, then it is GTC; a stock order and a chosen one are left alone', () => {
    const order = { symbol: 'BTC/USD', side: 'buy' as const, notional: 100, clientOrderId: 'tb-1-open' };
    expect(withTimeInForce(order).timeInForce).toBe('gtc');
    expect(withTimeInForce({ ...order, timeInForce: 'ioc' }).timeInForce).toBe('ioc');
    expect(withTimeInForce({ ...order, symbol: 'AAPL' }).timeInForce).toBeUndefined();
  });

  it("when an order is under the asset's min_order_size, by quantity or by dollars at the price, then the reason names the minimum", () => {
    expect(belowMinimum(btc, { qty: 0.00005 }, undefined)).toBe("order of 0.00005 BTC/USD is under the asset's min_order_size 0.0001");
    expect(belowMinimum(btc, { notional: 2 }, 50_000)).toBe("order of 0.00004 BTC/USD is under the asset's min_order_size 0.0001");
    expect(belowMinimum(btc, { qty: 0.0001 }, undefined)).toBeUndefined();
    expect(belowMinimum(btc, { notional: 10 }, 50_000)).toBeUndefined();
    expect(belowMinimum({ ...btc, minOrderSize: undefined }, { qty: 0.00000001 }, undefined)).toBeUndefined();
  });

  it("when a quantity is finer than the asset's min_trade_increment, then it moves down onto the step", () => {
    expect(onIncrement(btc, 0.12345678)).toBe(0.123456);
    expect(onIncrement(btc, 0.3)).toBe(0.3);
    expect(onIncrement({ ...btc, minTradeIncrement: undefined }, 0.12345678)).toBe(0.12345678);
  });
});
