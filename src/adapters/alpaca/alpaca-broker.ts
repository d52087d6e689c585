/**
 * The Broker and AccountHistory ports on Alpaca's Trading and Market Data
 * APIs, through the official SDK. Every call translates Alpaca's answers into
 * domain types and its failures into TemporaryError / RejectedError /
 * NotFoundError, so nothing above this class knows about HTTP or the SDK.
 */
import type { Alpaca, marketData } from '@alpacahq/alpaca-trade-api';
import { isBotOrder, isProtectiveOrder } from '../../domain/trading/client-order-id';
import { RejectedError } from '../../domain/errors';
import { canonicalSymbol, isCryptoSymbol, pathSymbol } from '../../domain/signal/symbol';
import type { TradingDay } from '../../domain/trading/session';
import type {
  Account,
  Asset,
  Bar,
  Fill,
  MarketClock,
  Order,
  OrderRequest,
  PortfolioHistory,
  Position,
  RestingTerms,
} from '../../domain/types';
import type { AccountHistory, Broker } from '../../ports';
import { createAlpacaClient, type AlpacaBrokerOptions } from './alpaca-client';
import { httpError, isNotFound, translateError } from './alpaca-errors';
import { dailyBars, listFills, portfolioHistory } from './alpaca-history';
import { notionalString, qtyString, toAccount, toAsset, toClock, toOrder, toPosition, toTradingDay } from './alpaca-mapping';
import { ALPACA_RULES } from './rules';

/** Alpaca's largest page of orders. */
const MAX_ORDERS_PAGE = 500;

/** Runs one SDK call, translating its failure into a domain error. */
async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateError(err, action);
  }
}

/** Alpaca (paper or live) as the bot's Broker and AccountHistory. */
export class AlpacaBroker implements Broker, AccountHistory {
  /** Alpaca's rules (rules.ts). */
  readonly rules = ALPACA_RULES;
  private readonly alpaca: Alpaca;
  private readonly feed: string;

  /** Builds the SDK client; opens no connection until the first call. */
  constructor(options: AlpacaBrokerOptions) {
    this.feed = options.dataFeed || 'iex';
    this.alpaca = createAlpacaClient(options);
  }

  async getPosition(symbol: string): Promise<Position | null> {
    try {
      return toPosition(await this.alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: pathSymbol(symbol) }));
    } catch (err) {
      // Alpaca answers 404 "position does not exist" when flat.
      if (isNotFound(err)) return null;
      throw translateError(err, `reading the ${symbol} position`);
    }
  }

  async listPositions(): Promise<Position[]> {
    const positions = await call('listing positions', () => this.alpaca.trading.positions.getAllOpenPositions());
    return positions.map(toPosition);
  }

  async getAsset(symbol: string): Promise<Asset> {
    try {
      // Alpaca's asset path takes a crypto pair in its old form, without the slash (BTCUSD).
      return toAsset(await this.alpaca.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: pathSymbol(symbol) }));
    } catch (err) {
      if (isNotFound(err)) throw new RejectedError(`asset "${symbol}" not found at Alpaca`, 404, { cause: err });
      throw translateError(err, `reading the ${symbol} asset`);
    }
  }

  async getLatestPrice(symbol: string): Promise<number> {
    const crypto = isCryptoSymbol(symbol);
    let price: number | undefined;
    try {
      price = crypto ? await this.latestCryptoTrade(symbol) : await this.latestStockTrade(symbol);
    } catch (err) {
      if (!isNotFound(err)) throw translateError(err, `reading the ${symbol} price`);
    }
    if (price === undefined || !(price > 0)) {
      throw new RejectedError(`Alpaca has no latest trade for ${symbol} ${crypto ? 'on its crypto feed' : `on the ${this.feed} feed`}`);
    }
    return price;
  }

  private latestStockTrade(symbol: string): Promise<number | undefined> {
    return this.alpaca.marketData.getLatestPrice(symbol.trim(), { feed: this.feed as marketData.StockLatestFeed });
  }

  /** Crypto prices come from Alpaca's crypto feed (`/v1beta3/crypto/us/latest/trades`), never the stock one. */
  private async latestCryptoTrade(symbol: string): Promise<number | undefined> {
    const { trades } = await this.alpaca.marketData.crypto.cryptoLatestTrades({ loc: 'us', symbols: symbol.trim() });
    const trade = Object.entries(trades ?? {}).find(([key]) => canonicalSymbol(key) === symbol.trim())?.[1];
    return trade?.p;
  }

  /**
   * Sends a market order sized by shares or dollars, or a limit order by shares (`day` unless the request says).
   * The SDK never
   * retries the POST; on a TemporaryError the caller looks the order up by
   * its client order id before sending anything again.
   */
  async submitOrder(request: OrderRequest): Promise<Order> {
    if (request.resting) return this.submitResting(request, request.resting);
    const base = {
      symbol: request.symbol.trim(),
      side: request.side,
      timeInForce: request.timeInForce ?? 'day',
      clientOrderId: request.clientOrderId,
      ...(request.extendedHours ? { extendedHours: true } : {}),
    };
    const hasQty = request.qty !== undefined;
    if (hasQty === (request.notional !== undefined)) {
      throw new RejectedError('an order needs exactly one of qty and notional');
    }
    const orders = this.alpaca.trading.orders;
    const limitPrice = request.limitPrice;
    if (limitPrice !== undefined && !hasQty) throw new RejectedError('a limit order needs a quantity, not a dollar amount');
    const order = await call(`submitting order ${request.clientOrderId}`, () =>
      limitPrice !== undefined
        ? orders.limit({ ...base, qty: qtyString(request.qty!), limitPrice })
        : hasQty
          ? orders.market({ ...base, qty: qtyString(request.qty!) })
          : orders.market({ ...base, notional: notionalString(request.notional!) }),
    );
    return toOrder(order);
  }

  /** A protective exit: GTC, whole shares (crypto: any quantity), as a stop, stop-limit, limit, trailing stop or OCO pair. */
  private async submitResting(request: OrderRequest, terms: RestingTerms): Promise<Order> {
    const whole = request.qty !== undefined && (Number.isInteger(request.qty) || isCryptoSymbol(request.symbol));
    if (request.qty === undefined || !whole) throw new RejectedError('a resting exit order needs whole shares');
    const base = {
      symbol: request.symbol.trim(),
      side: request.side,
      qty: qtyString(request.qty),
      timeInForce: 'gtc' as const,
      clientOrderId: request.clientOrderId,
    };
    const orders = this.alpaca.trading.orders;
    const order = await call(`submitting order ${request.clientOrderId}`, () => {
      switch (terms.type) {
        case 'stop':
          return orders.stop({ ...base, stopPrice: terms.stopPrice });
        case 'stop_limit':
          return orders.stopLimit({ ...base, stopPrice: terms.stopPrice, limitPrice: terms.limitPrice });
        case 'limit':
          return orders.limit({ ...base, limitPrice: terms.limitPrice });
        case 'trailing_stop':
          return orders.trailingStop({ ...base, trailPercent: terms.trailPercent });
        case 'oco':
          return orders.oco({ ...base, takeProfit: { limitPrice: terms.limitPrice }, stopLoss: { stopPrice: terms.stopPrice } });
      }
    });
    return toOrder(order);
  }

  async findOrderByClientId(clientOrderId: string): Promise<Order | null> {
    try {
      return toOrder(await this.alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId }));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw translateError(err, `looking up order ${clientOrderId}`);
    }
  }

  async getOrder(orderId: string): Promise<Order> {
    return toOrder(await call(`reading order ${orderId}`, () => this.alpaca.trading.orders.getOrderByOrderID({ orderId, nested: true })));
  }

  async listOpenOrders(): Promise<Order[]> {
    const orders = await call('listing open orders', () =>
      this.alpaca.trading.orders.getAllOrders({ status: 'open', limit: MAX_ORDERS_PAGE, direction: 'asc' }),
    );
    return orders.map(toOrder);
  }

  async listOwnOpenOrders(symbol: string): Promise<Order[]> {
    // A crypto pair is asked for in both of Alpaca's spellings (BTC/USD, BTCUSD); the orders come back as the bot's.
    const symbols = [...new Set([symbol.trim(), pathSymbol(symbol)])].join(',');
    const orders = await call(`listing open ${symbol} orders`, () =>
      this.alpaca.trading.orders.getAllOrders({ status: 'open', symbols, limit: MAX_ORDERS_PAGE, direction: 'asc' }),
    );
    return orders.map(toOrder).filter((o) => o.symbol === symbol.trim() && isBotOrder(o.clientOrderId));
  }

  async listOwnProtection(): Promise<Order[]> {
    // nested: an OCO pair comes as its take-profit with the stop in `legs`, not as two orders.
    const orders = await call('listing open protective orders', () =>
      this.alpaca.trading.orders.getAllOrders({ status: 'open', nested: true, limit: MAX_ORDERS_PAGE, direction: 'asc' }),
    );
    return orders.map(toOrder).filter((o) => isProtectiveOrder(o.clientOrderId));
  }

  async cancelOrder(orderId: string): Promise<void> {
    try {
      await this.alpaca.trading.orders.deleteOrderByOrderID({ orderId });
    } catch (err) {
      // 422: already filled, cancelled or expired; the caller reads which.
      if (httpError(err)?.status === 422) return;
      throw translateError(err, `cancelling order ${orderId}`);
    }
  }

  async cancelAllOrders(): Promise<void> {
    await call('cancelling open orders', () => this.alpaca.trading.orders.deleteAllOrders());
  }

  async getAccount(): Promise<Account> {
    return toAccount(await call('reading the account', () => this.alpaca.trading.account.getAccount()));
  }

  async getClock(): Promise<MarketClock> {
    return toClock(await call('reading the market clock', () => this.alpaca.trading.clock.legacyClock()));
  }

  async getTradingDay(date: string): Promise<TradingDay | null> {
    const day = new Date(`${date}T00:00:00Z`);
    const days = await call(`reading the market calendar for ${date}`, () =>
      this.alpaca.trading.calendar.legacyCalendar({ start: day, end: day }),
    );
    const found = days.map(toTradingDay).find((d) => d?.date === date);
    if (days.length > 0 && !found) throw new RejectedError(`Alpaca's calendar for ${date} could not be read`);
    return found ?? null;
  }

  listFills(start: Date, end: Date): Promise<Fill[]> {
    return listFills(this.alpaca, start, end);
  }

  getPortfolioHistory(start: Date, end: Date): Promise<PortfolioHistory> {
    return portfolioHistory(this.alpaca, start, end);
  }

  getDailyBars(symbol: string, start: Date, end: Date): Promise<Bar[]> {
    return dailyBars(this.alpaca, this.feed, symbol, start, end);
  }
}
