/** Deterministic test data: many fills or many daily bars, for pagination and analytics tests. */
import { type Book, dec } from './book';
import type { FillActivity, FillInput, WireBar } from './types';

/** Appends FILL activities; each gets an Alpaca-style id that sorts by time. */
export function addFills(book: Book, fills: FillInput[]): FillActivity[] {
  return fills.map((f) => {
    const time = book.nextActivityTime(f.time);
    return book.appendActivity({
      transaction_time: time.toISOString(),
      type: f.type ?? 'fill',
      price: dec(f.price, 4),
      qty: dec(f.qty),
      side: f.side,
      symbol: f.symbol,
      leaves_qty: '0',
      order_id: f.orderId ?? `order-${time.getTime()}-${f.symbol}`,
      cum_qty: dec(f.qty),
      order_status: 'filled',
    });
  });
}

/** Options for `generateFills`. */
export interface GenerateFillsOptions {
  symbols?: string[];
  /** ISO time of the first fill; default 2024-01-02T15:00:00Z. */
  start?: string;
  /** Gap between fills; default one minute. */
  stepMs?: number;
}

/** `n` fills, one symbol after another, alternating buy and sell of 1–3 shares near 100. */
export function generateFills(book: Book, n: number, options: GenerateFillsOptions = {}): FillActivity[] {
  const symbols = options.symbols ?? ['AAPL', 'MSFT', 'SPY'];
  const start = Date.parse(options.start ?? '2024-01-02T15:00:00Z');
  const step = options.stepMs ?? 60_000;
  const inputs: FillInput[] = Array.from({ length: n }, (_, i) => ({
    symbol: symbols[i % symbols.length],
    side: Math.floor(i / symbols.length) % 2 === 0 ? 'buy' : 'sell',
    qty: 1 + (i % 3),
    price: 100 + (i % 17) / 4,
    time: new Date(start + i * step).toISOString(),
    orderId: `generated-order-${i}`,
  }));
  return addFills(book, inputs);
}

/** Options for `generateBars`. */
export interface GenerateBarsOptions {
  /** First trading day, YYYY-MM-DD; default 2024-01-02. */
  start?: string;
  /** First close; default 100. */
  price?: number;
}

/** `n` daily bars on weekdays (04:00 UTC stamps, as Alpaca's daily bars), closes wobbling by ±0.3%. */
export function generateBars(n: number, options: GenerateBarsOptions = {}): WireBar[] {
  const bars: WireBar[] = [];
  const day = new Date(`${options.start ?? '2024-01-02'}T04:00:00Z`);
  let close = options.price ?? 100;
  while (bars.length < n) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) {
      const open = close;
      close = Math.round(open * (1 + ((bars.length % 7) - 3) / 1000) * 100) / 100;
      bars.push({
        t: day.toISOString().replace('.000Z', 'Z'),
        o: open,
        h: Math.max(open, close) + 0.5,
        l: Math.min(open, close) - 0.5,
        c: close,
        v: 1_000_000 + bars.length,
        n: 5000,
        vw: (open + close) / 2,
      });
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return bars;
}
