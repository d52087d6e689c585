/**
 * Alpaca's rules, as the planning functions take them (`Broker.rules`):
 * prices in $0.01 at $1 and above and $0.0001 below (else 422 "sub-penny
 * increment"), no fractional shorts ("fractional orders cannot be sold
 * short"), fractional orders only as DAY orders (so resting exits hold whole
 * shares), and client order ids of at most 128 characters. The paper broker
 * keeps the same rules, so a strategy that works locally works on Alpaca.
 */
import type { BrokerRules } from '../../domain/trading/broker-rules';

/** Alpaca's rules for US equities and client order ids. */
export const ALPACA_RULES: BrokerRules = {
  maxClientOrderIdLength: 128,
  byAssetClass: {
    us_equity: { ticksPerDollar: (price) => (price >= 1 ? 100 : 10_000), fractionalShorts: false, fractionalResting: false },
  },
};
