/**
 * Alpaca's rules for crypto orders (asset class `crypto`): `gtc` or `ioc`
 * only, market, limit and stop-limit orders only (no OCO, no stop-market, no
 * trailing stop), at least the asset's `min_order_size`, and never short:
 * selling more than is held is refused as Alpaca refuses it. Fractional
 * quantities and notional amounts are fine in GTC orders. See README.md.
 */
import { type Book, dec } from './book';
import type { Reply } from './types';

const VALIDATION = 40010001;
const UNPROCESSABLE = 42210000;
const FORBIDDEN = 40310000;
const CRYPTO_TIME_IN_FORCE = new Set(['gtc', 'ioc']);
const CRYPTO_TYPES = new Set(['market', 'limit', 'stop_limit']);

const refuse = (status: number, code: number, message: string): Reply => ({ status, body: { code, message } });

/** Alpaca's refusal of a crypto order, or undefined when the order may go on to the common rules. */
export function checkCryptoOrder(
  book: Book,
  body: Record<string, unknown>,
  symbol: string,
  qty: number | undefined,
  notional: number | undefined,
): Reply | undefined {
  if (!CRYPTO_TIME_IN_FORCE.has(String(body.time_in_force))) return refuse(422, VALIDATION, 'invalid crypto time_in_force');
  const type = String(body.type ?? 'market');
  const orderClass = body.order_class;
  if (!CRYPTO_TYPES.has(type) || (orderClass !== undefined && orderClass !== '' && orderClass !== 'simple')) {
    return refuse(422, VALIDATION, `invalid order type for crypto order: ${orderClass === 'oco' ? 'oco' : type}`);
  }
  const asset = book.assets.get(symbol)!;
  const price = book.price(symbol);
  const size = qty ?? (notional !== undefined && price ? notional / price : undefined);
  const min = asset.min_order_size ?? 0;
  if (size !== undefined && size < min - 1e-12) {
    return refuse(422, UNPROCESSABLE, `qty must be >= ${dec(min)}, the min_order_size of ${symbol}`);
  }
  if (body.side === 'sell') {
    const available = Math.max(0, book.qtyAvailable(symbol, type !== 'market'));
    const requested = size ?? 0;
    if (notional !== undefined || requested > available + 1e-9) {
      const coin = symbol.split('/')[0];
      return refuse(403, FORBIDDEN, `insufficient balance for ${coin} (requested: ${dec(requested)}, available: ${dec(available)})`);
    }
  }
  return undefined;
}

/** Crypto's price steps as the fake holds them: cents from $1,000, $0.0001 from $1, 1e-9 below. */
export function cryptoTicksPerDollar(price: number): number {
  return price >= 1000 ? 100 : price >= 1 ? 10_000 : 1_000_000_000;
}
