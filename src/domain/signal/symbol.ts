/** Letters, digits, `.` and `-`, 1–10 characters: every US equity ticker, nothing else. */
const SYMBOL = /^[A-Z0-9.\-]{1,10}$/;

/**
 * The upper-case ticker from what an alert or the sheet holds, with a
 * TradingView exchange prefix removed (`NASDAQ:AAPL` → `AAPL`); null when it
 * is not a valid symbol.
 */
export function normaliseSymbol(text: string): string | null {
  const bare = text.trim().toUpperCase().split(':').pop() ?? '';
  return SYMBOL.test(bare) ? bare : null;
}
