/** The Alpaca adapter: the Broker and AccountHistory ports over the official SDK. */
export { AlpacaBroker } from './alpaca-broker';
export type { AlpacaBrokerOptions } from './alpaca-client';
