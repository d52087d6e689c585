/**
 * The market of a broker that has none of its own (the embedded paper
 * broker): the alerts' prices are its prices. Only such a broker offers it;
 * the wiring hands it to the trading context when the chosen broker does.
 */
export interface LocalMarket {
  /** The price an alert brought for `symbol`: positions are marked there, and the resting exits it reaches fill at it. */
  markPrice(symbol: string, price: number): Promise<void>;
}
