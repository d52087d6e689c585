/** Letters, digits, `.` and `-`, 1–10 characters: every US equity ticker, nothing else. */
const SYMBOL = /^[A-Z0-9.\-]{1,10}$/;

/** The currencies crypto pairs are quoted in; the longer ones first, so `BTCUSDT` is BTC in USDT, not BTCUSD in T. */
const QUOTES = ['USDT', 'USDC', 'USD', 'BTC'];

/** A pair written with a slash: a base of 2–10 letters or digits, a known quote (`BTC/USD`, `ETH/BTC`). */
const SLASHED_PAIR = new RegExp(`^([A-Z0-9]{2,10})/(${QUOTES.join('|')})$`);

/**
 * A pair written without one (`BTCUSD`, `ETHUSDT`): a base of 3–10 letters or digits before a known quote, so
 * at least six characters, longer than any US equity ticker (at most five letters before a class suffix).
 */
const BARE_PAIR = new RegExp(`^([A-Z0-9]{3,10})(${QUOTES.join('|')})$`);

/**
 * The upper-case symbol from what an alert or the sheet holds, with a
 * TradingView exchange prefix removed (`NASDAQ:AAPL` → `AAPL`); a crypto pair
 * in Alpaca's form, with its slash (`COINBASE:BTCUSD`, `btc/usd` → `BTC/USD`);
 * null when it is neither a valid ticker nor a crypto pair.
 */
export function normaliseSymbol(text: string): string | null {
  const bare = text.trim().toUpperCase().split(':').pop() ?? '';
  const pair = SLASHED_PAIR.exec(bare) ?? BARE_PAIR.exec(bare);
  if (pair) return `${pair[1]}/${pair[2]}`;
  return SYMBOL.test(bare) ? bare : null;
}

/** True for a crypto pair in the bot's form (`BTC/USD`): the only symbols with a slash. */
export function isCryptoSymbol(symbol: string): boolean {
  return symbol.includes('/');
}

/**
 * The symbol as the bot keeps it, whichever way a broker wrote it back (Alpaca reports the same crypto asset as
 * `BTC/USD` or `BTCUSD`): the normalised form, or the text itself when it is no symbol the bot would trade.
 */
export function canonicalSymbol(text: string): string {
  return normaliseSymbol(text) ?? text.trim();
}

/** The symbol without its slash (`BTCUSD`), as Alpaca's paths take a crypto asset; a ticker as it is. */
export function pathSymbol(symbol: string): string {
  return symbol.trim().replace('/', '');
}
