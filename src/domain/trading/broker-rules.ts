/**
 * What a broker allows, as plain values: each broker adapter supplies its
 * own (`Broker.rules`), and the pure planning functions take them as a
 * parameter, so no broker's rules are written into the domain. Rules that
 * depend on what is traded sit per asset class: US equities and crypto.
 */
import { isCryptoSymbol } from '../signal/symbol';

/** The asset classes a broker states rules for. */
export type AssetClass = 'us_equity' | 'crypto';

/** The rules for trading one class of asset. */
export interface AssetRules {
  /**
   * How many price increments make a dollar at `price`: protective prices are rounded to them
   * (Alpaca: 100 at $1 and above, 10,000 below).
   */
  ticksPerDollar(price: number): number;
  /** True when a short may be opened or added in fractional shares; false: shorts trade whole shares. */
  fractionalShorts: boolean;
  /** True when a resting (GTC) exit may hold fractional shares; false: protective exits cover whole shares only. */
  fractionalResting: boolean;
  /** False when the asset is never sold short (crypto): a short target closes the long and opens nothing. */
  shorts: boolean;
  /** The order a protective stop rests as: a `stop`, or a `stop_limit` (crypto has no stop-market order). */
  restingStop: 'stop' | 'stop_limit';
  /** True when the broker pairs a stop and a target as one OCO order; false: two orders the bot keeps as one group. */
  ocoPairs: boolean;
  /** True when the broker offers trailing stops for the asset. */
  trailingStops: boolean;
}

/** A broker's rules: those for every order, and those by asset class. */
export interface BrokerRules {
  /** The longest client order id the broker accepts. */
  maxClientOrderIdLength: number;
  /** The rules that depend on the asset's class. */
  byAssetClass: Readonly<Record<AssetClass, AssetRules>>;
}

/** The rules for an asset of `assetClass` (a US equity unless said otherwise). */
export function assetRules(rules: BrokerRules, assetClass: AssetClass = 'us_equity'): AssetRules {
  return rules.byAssetClass[assetClass];
}

/** `price` rounded to the nearest increment the rules allow. */
export function roundToTick(price: number, rules: Pick<AssetRules, 'ticksPerDollar'>): number {
  const ticks = rules.ticksPerDollar(price);
  return Math.round(price * ticks) / ticks;
}

/** The asset class a symbol in the bot's form belongs to: a pair with a slash (`BTC/USD`) is crypto, anything else a US equity. */
export function assetClassOf(symbol: string): AssetClass {
  return isCryptoSymbol(symbol) ? 'crypto' : 'us_equity';
}
