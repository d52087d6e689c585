import type { BrokerRules } from '../domain/trading/broker-rules';
import type { TradingDay } from '../domain/trading/session';
import type { Account, Asset, MarketClock, Order, OrderRequest, Position } from '../domain/types';

/** Where orders go: Alpaca (paper or live) or the embedded paper broker. */
export interface Broker {
  /** What the broker allows (price ticks, fractional shorts and resting exits, client order id length), which the planning obeys. */
  readonly rules: BrokerRules;
  /** The open position in `symbol`, or null when flat (Alpaca's 404). */
  getPosition(symbol: string): Promise<Position | null>;
  /** Every open position. */
  listPositions(): Promise<Position[]>;
  /** Asset facts; RejectedError when the symbol is unknown. */
  getAsset(symbol: string): Promise<Asset>;
  /** The latest trade price; TemporaryError or RejectedError when none can be had. */
  getLatestPrice(symbol: string): Promise<number>;
  /**
   * Sends a market day order, or a GTC resting exit when `request.resting` is set. RejectedError when the broker refuses it
   * (DuplicateOrderError when the client order id was already used);
   * TemporaryError when the outcome is unknown (timeout, network, 5xx): the
   * caller must then look it up with `findOrderByClientId` before resending.
   */
  submitOrder(request: OrderRequest): Promise<Order>;
  /** The order with this client order id, or null when the broker never got it. */
  findOrderByClientId(clientOrderId: string): Promise<Order | null>;
  /** The order by broker id; NotFoundError when unknown. */
  getOrder(orderId: string): Promise<Order>;
  /** Orders not yet filled, cancelled or rejected. */
  listOpenOrders(): Promise<Order[]>;
  /** The bot's own open orders in `symbol` (told by their client order id prefix); others' orders are left out. */
  listOwnOpenOrders(symbol: string): Promise<Order[]>;
  /**
   * Asks the broker to cancel one order. The cancel is asynchronous: the
   * order may still fill, so follow it with `getOrder` until it ends. An order
   * that has already ended is not an error.
   */
  cancelOrder(orderId: string): Promise<void>;
  /** Cancels every open order. */
  cancelAllOrders(): Promise<void>;
  /**
   * The bot's own open protective exits in every symbol (client order ids
   * `tb-…-sl`, `-tp`, `-trail`), with their prices; an OCO pair is one order
   * with its stop in `legs`.
   */
  listOwnProtection(): Promise<Order[]>;
  /** Equity, last close equity, buying power. */
  getAccount(): Promise<Account>;
  /** The market clock. */
  getClock(): Promise<MarketClock>;
  /** The sessions of the New York date `date` (`YYYY-MM-DD`) from the broker's calendar; null when the market does not trade that day. */
  getTradingDay(date: string): Promise<TradingDay | null>;
}
