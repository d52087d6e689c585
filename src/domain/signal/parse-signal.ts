import { normaliseSymbol } from './symbol';
import { normaliseTimeframe } from './timeframe';
import type { Action, MarketPosition, Signal, StrategyIntent } from '../types';

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

const POSITIONS: Record<string, MarketPosition> = { long: 'long', short: 'short', flat: 'flat' };
/** TradersPost's `sentiment` words, and the plain ones. */
const SENTIMENTS: Record<string, MarketPosition> = { bullish: 'long', bearish: 'short', flat: 'flat', long: 'long', short: 'short' };

/** A word from `vocabulary`; undefined when absent, an error naming the field when outside it. */
function readWord<T>(body: Record<string, unknown>, keys: string[], vocabulary: Record<string, T>): T | undefined | { error: string } {
  const text = field(body, keys);
  if (text === undefined) return undefined;
  const word = text.toLowerCase();
  if (Object.hasOwn(vocabulary, word)) return vocabulary[word];
  return { error: `${keys[0]} "${text.slice(0, 20)}" must be one of ${Object.keys(vocabulary).join(', ')}` };
}

/** A size ≥ 0; undefined when absent, an error naming the field when negative or not a number. */
function readSize(body: Record<string, unknown>, keys: string[]): number | undefined | { error: string } {
  const text = field(body, keys);
  if (text === undefined) return undefined;
  const n = Number(text.replace(/,/g, ''));
  if (!Number.isFinite(n) || n < 0) return { error: `${keys[0]} "${text.slice(0, 20)}" must be a number of 0 or more` };
  return n;
}

const isError = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v;

/**
 * The strategy's intent, when the alert carries `market_position` (or
 * TradersPost's `sentiment`); an error naming the field for a word outside
 * the vocabulary or a negative or non-numeric size.
 */
function readStrategy(b: Record<string, unknown>): StrategyIntent | undefined | { error: string } {
  const position = readWord(b, ['market_position', 'strategy.market_position'], POSITIONS);
  const sentiment = readWord(b, ['sentiment'], SENTIMENTS);
  const prevPosition = readWord(b, ['prev_market_position', 'strategy.prev_market_position'], POSITIONS);
  const size = readSize(b, ['market_position_size', 'strategy.market_position_size']);
  const prevSize = readSize(b, ['prev_market_position_size', 'strategy.prev_market_position_size']);
  for (const v of [position, sentiment, prevPosition, size, prevSize]) if (isError(v)) return v;
  const marketPosition = (position ?? sentiment) as MarketPosition | undefined;
  if (!marketPosition) return undefined;
  const intent: StrategyIntent = { marketPosition };
  if (size !== undefined) intent.size = size as number;
  if (prevSize !== undefined) intent.prevSize = prevSize as number;
  if (prevPosition !== undefined) intent.prevMarketPosition = prevPosition as MarketPosition;
  return intent;
}

/** The action a strategy position stands for, in logs and answers. */
const ACTION_OF: Record<MarketPosition, Action> = { long: 'long', short: 'short', flat: 'close' };

/**
 * Turns a parsed alert body into a Signal. Accepts the seed format
 * (`action: BUY|SELL|CLOSE`, `symbol`, `timeframe`), TradingView placeholder
 * forms (`ticker`, `interval`, lower-case actions, `exit`), the strategy's
 * `market_position` (or `sentiment`) with its sizes, which then decide the
 * trade whatever the action word says, and TradersPost/3Commas-style fields.
 */
export function parseSignal(body: unknown): ParseResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, error: 'body must be a JSON object' };
  }
  const b = body as Record<string, unknown>;

  const strategy = readStrategy(b);
  if (isError(strategy)) return { ok: false, error: strategy.error };
  const actionText = field(b, ['action', 'side', 'strategy.order.action']);
  if (!strategy && actionText === undefined) return { ok: false, error: 'missing action: send BUY, SELL or CLOSE' };
  // hasOwn: "constructor" or "__proto__" must not find Object's own members and pass as an action.
  const actionKey = actionText?.toLowerCase() ?? '';
  const action: Action | undefined = strategy
    ? ACTION_OF[strategy.marketPosition]
    : Object.hasOwn(ACTIONS, actionKey)
      ? ACTIONS[actionKey]
      : undefined;
  if (!action) return { ok: false, error: `unknown action "${actionText!.slice(0, 20)}": use BUY, SELL or CLOSE` };

  const symbolText = field(b, ['symbol', 'ticker']);
  if (symbolText === undefined) return { ok: false, error: 'missing symbol (or ticker)' };
  const symbol = normaliseSymbol(symbolText);
  if (!symbol) return { ok: false, error: 'symbol must be 1-10 letters, digits, "." or "-", or a crypto pair such as BTCUSD or BTC/USD' };

  const timeframeText = field(b, ['timeframe', 'interval']);
  if (timeframeText === undefined) return { ok: false, error: 'missing timeframe (or interval)' };
  const timeframe = normaliseTimeframe(timeframeText);
  if (!timeframe)
    return { ok: false, error: `timeframe "${timeframeText.slice(0, 20)}" is not understood: use e.g. "15", "15 Min", "1H" or "1D"` };

  const signal: Signal = { action, symbol, timeframe, timeframeLabel: timeframeText.slice(0, 20) };
  if (strategy) signal.strategy = strategy;
  if (strategy && Object.hasOwn(ACTIONS, actionKey) && ACTIONS[actionKey] !== action) signal.alertAction = ACTIONS[actionKey];

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
