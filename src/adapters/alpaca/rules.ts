/**
 * Alpaca's rules, as the planning functions take them (`Broker.rules`):
 * prices in $0.01 at $1 and above and $0.0001 below (else 422 "sub-penny
 * increment"), no fractional shorts ("fractional orders cannot be sold
 * short"), fractional orders only as DAY orders (so resting exits hold whole
 * shares), and client order ids of at most 128 characters. Crypto is never
 * sold short, trades fractions in GTC orders too, stops only as stop-limit
 * orders, with no OCO and no trailing stop. The paper broker keeps the same
 * rules, so a strategy that works locally works on Alpaca.
 */
import type { AssetRules, BrokerRules } from '../../domain/trading/broker-rules';

/** US equities: cents at $1 and above; whole-share shorts and resting exits; stops, OCO pairs and trailing stops. */
const US_EQUITY: AssetRules = {
  ticksPerDollar: (price) => (price >= 1 ? 100 : 10_000),
  fractionalShorts: false,
  fractionalResting: false,
  shorts: true,
  restingStop: 'stop',
  ocoPairs: true,
  trailingStops: true,
};

/**
 * Crypto: never short; fractional quantities rest GTC; a stop is a stop-limit and a target a limit, which the bot
 * pairs itself. Prices: cents from $1,000 (Alpaca rounds BTC to $0.01), else finer steps so cheap coins keep their digits.
 */
const CRYPTO: AssetRules = {
  ticksPerDollar: (price) => (price >= 1000 ? 100 : price >= 1 ? 10_000 : 1_000_000_000),
  fractionalShorts: false,
  fractionalResting: true,
  shorts: false,
  restingStop: 'stop_limit',
  ocoPairs: false,
  trailingStops: false,
};

/** Alpaca's rules for US equities, crypto and client order ids. */
export const ALPACA_RULES: BrokerRules = {
  maxClientOrderIdLength: 128,
  byAssetClass: { us_equity: US_EQUITY, crypto: CRYPTO },
};
