import { canonicalSymbol, isCryptoSymbol, normaliseSymbol, pathSymbol } from '../../../src/domain/signal/symbol';
import { assetClassOf } from '../../../src/domain/trading/broker-rules';
import { parseSignal } from '../../../src/domain/signal/parse-signal';

describe('normaliseSymbol', () => {
  it.each([
    ['BTCUSD', 'BTC/USD'],
    ['BTC/USD', 'BTC/USD'],
    ['COINBASE:BTCUSD', 'BTC/USD'],
    ['btc/usd', 'BTC/USD'],
    ['ETHUSD', 'ETH/USD'],
    ['BTCUSDT', 'BTC/USDT'],
    ['BINANCE:ETHUSDC', 'ETH/USDC'],
    ['ETHBTC', 'ETH/BTC'],
    ['DOGEUSD', 'DOGE/USD'],
    ['USDTUSD', 'USDT/USD'],
  ])('when a crypto ticker is written %s, then it is the pair %s', (text, pair) => {
    expect(normaliseSymbol(text)).toBe(pair);
  });

  it.each([['AAPL'], ['NASDAQ:AAPL'], ['BRK.B'], ['SPY'], ['ABUSD'], ['XBTC']])(
    'when an equity ticker (or one too short to be a pair) is written %s, then it stays a ticker',
    (text) => {
      const symbol = normaliseSymbol(text)!;
      expect(symbol).toBe(text.split(':').pop());
      expect(isCryptoSymbol(symbol)).toBe(false);
      expect(assetClassOf(symbol)).toBe('us_equity');
    },
  );

  it.each([['BTC/'], ['/USD'], ['BTC/EUR'], ['BTC//USD'], ['A/USD'], ['../USD'], ['BTC/USD/X']])(
    'when %s is no ticker and no known pair, then it is refused',
    (text) => {
      expect(normaliseSymbol(text)).toBeNull();
    },
  );

  it('when a broker writes a pair without its slash, then the bot reads the same symbol; paths take it without', () => {
    expect(canonicalSymbol('BTCUSD')).toBe('BTC/USD');
    expect(canonicalSymbol('BTC/USD')).toBe('BTC/USD');
    expect(canonicalSymbol('AAPL')).toBe('AAPL');
    expect(pathSymbol('BTC/USD')).toBe('BTCUSD');
    expect(pathSymbol('AAPL')).toBe('AAPL');
    expect(assetClassOf('BTC/USD')).toBe('crypto');
  });

  it('when an alert names COINBASE:BTCUSD, then the signal is for BTC/USD', () => {
    const parsed = parseSignal({ action: 'BUY', symbol: 'COINBASE:BTCUSD', timeframe: '15' });
    expect(parsed.ok && parsed.signal.symbol).toBe('BTC/USD');
  });
});
