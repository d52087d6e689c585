/** The Alpaca adapter: the Broker and AccountHistory ports over the official SDK, and its trade_updates stream as the OrderEventSource. */
export { AlpacaBroker } from './alpaca-broker';
export type { AlpacaBrokerOptions } from './alpaca-client';
export { AlpacaOrderStream, orderStreamUrl } from './alpaca-order-stream';
export { ALPACA_RULES } from './rules';
export type { AlpacaOrderStreamOptions } from './alpaca-order-stream';
