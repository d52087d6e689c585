import { normaliseSymbol } from './symbol';
import { normaliseTimeframe } from './timeframe';
import type { Action, Signal } from './types';

/** The outcome of reading an alert body: a signal, or the exact reason it is not one. */
export type ParseResult = { ok: true; signal: Signal } | { ok: false; error: string };

const ACTIONS: Record<string, Action> = {
  buy: 'long',
  long: 'long',
  sell: 'short',
  short: 'short',
  close: 'close',
  exit: 'close',
  flat: 'close',
};

/** Keys that carry the webhook secret; never stored or logged. */
export const SECRET_FIELDS = ['secret', 'passphrase'] as const;

/** The first present, non-empty string-or-number field among `keys`, as text. */
function field(body: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const v = body[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

/** Reads an ISO-ish time; undefined when absent, an error string when unreadable. */
function readTime(body: Record<string, unknown>, keys: string[]): string | undefined | { error: string } {
  const text = field(body, keys);
  if (text === undefined) return undefined;
  const ms = /^\d{10,13}$/.test(text) ? Number(text) * (text.length === 10 ? 1000 : 1) : Date.parse(text);
  if (!Number.isFinite(ms)) return { error: `${keys[0]} "${text.slice(0, 40)}" is not a time; send {{timenow}} or an ISO time` };
  return new Date(ms).toISOString();
}

/**
 * Turns a parsed alert body into a Signal. Accepts the seed format
 * (`action: BUY|SELL|CLOSE`, `symbol`, `timeframe`), TradingView placeholder
 * forms (`ticker`, `interval`, lower-case actions, `exit`, a `sentiment` or
 * `market_position` of `flat`) and TradersPost/3Commas-style fields.
 */
export function parseSignal(body: unknown): ParseResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, error: 'body must be a JSON object' };
  }
  const b = body as Record<string, unknown>;

  const flat = [field(b, ['sentiment']), field(b, ['market_position', 'strategy.market_position'])]
    .some((v) => v?.toLowerCase() === 'flat');
  const actionText = field(b, ['action', 'side', 'strategy.order.action']);
  if (!flat && actionText === undefined) return { ok: false, error: 'missing action: send BUY, SELL or CLOSE' };
  // hasOwn: "constructor" or "__proto__" must not find Object's own members and pass as an action.
  const actionKey = actionText?.toLowerCase() ?? '';
  const action: Action | undefined = flat ? 'close' : Object.hasOwn(ACTIONS, actionKey) ? ACTIONS[actionKey] : undefined;
  if (!action) return { ok: false, error: `unknown action "${actionText!.slice(0, 20)}": use BUY, SELL or CLOSE` };

  const symbolText = field(b, ['symbol', 'ticker']);
  if (symbolText === undefined) return { ok: false, error: 'missing symbol (or ticker)' };
  const symbol = normaliseSymbol(symbolText);
  if (!symbol) return { ok: false, error: 'symbol must be 1-10 letters, digits, "." or "-"' };

  const timeframeText = field(b, ['timeframe', 'interval']);
  if (timeframeText === undefined) return { ok: false, error: 'missing timeframe (or interval)' };
  const timeframe = normaliseTimeframe(timeframeText);
  if (!timeframe) return { ok: false, error: `timeframe "${timeframeText.slice(0, 20)}" is not understood: use e.g. "15", "15 Min", "1H" or "1D"` };

  const signal: Signal = { action, symbol, timeframe, timeframeLabel: timeframeText.slice(0, 20) };

  const priceText = field(b, ['price', 'close', 'trigger_price']);
  if (priceText !== undefined) {
    const price = Number(priceText.replace(/[$,]/g, ''));
    if (!Number.isFinite(price) || price <= 0) return { ok: false, error: `price "${priceText.slice(0, 20)}" is not a positive number` };
    signal.price = price;
  }
  const firedAt = readTime(b, ['timenow', 'timestamp']);
  if (typeof firedAt === 'object') return { ok: false, error: firedAt.error };
  if (firedAt) signal.firedAt = firedAt;
  const barTime = readTime(b, ['time']);
  if (typeof barTime === 'object') return { ok: false, error: barTime.error };
  if (barTime) signal.barTime = barTime;

  const id = field(b, ['id', 'signal_id']);
  if (id !== undefined) {
    if (!/^[A-Za-z0-9._:-]{1,64}$/.test(id)) return { ok: false, error: 'id must be 1-64 letters, digits, ".", "_", ":" or "-"' };
    signal.explicitId = id;
  }
  return { ok: true, signal };
}

/** The body with secret fields removed, for the journal. */
export function withoutSecrets(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  for (const key of SECRET_FIELDS) delete copy[key];
  return copy;
}
