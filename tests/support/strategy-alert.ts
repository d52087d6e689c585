/** The alerts a TradingView strategy sends, as the tests post them. */

/** A strategy's alert for AAPL 15 Min that resizes a long from `prev` to `size` units (a pyramiding add or a partial exit). */
export const longResized = (action: 'buy' | 'sell', prev: number, size: number, id: string) => ({
  action,
  symbol: 'AAPL',
  timeframe: '15',
  market_position: 'long',
  market_position_size: String(size),
  prev_market_position_size: String(prev),
  id,
});
