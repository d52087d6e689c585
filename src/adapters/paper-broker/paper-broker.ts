/**
 * The embedded paper broker, local mode's default: same `Broker` port as
 * Alpaca, its book kept in the app's SQLite file. Market orders fill at once
 * at the alert's price (`referencePrice`), under Alpaca's rules (rules.ts).
 * Every alert's price is the market (`markPrice`, the `LocalMarket`
 * capability that only this broker offers): it is remembered as the
 * symbol's latest, so positions are marked there, unrealised P&L moves,
 * `getLatestPrice` answers it and a flatten fills at it; and stops, targets
 * and trailing stops rest (resting.ts) until such a price reaches them. A
 * limit order fills at once when the alert's price reaches its limit, else
 * it rests there too, until a later alert's price reaches it or it is cancelled.
 *
 * Buying power is a plain 1x margin: equity − gross exposure (|long| +
 * |short| market value), which is just the cash when no shorts are held; the
 * accounting itself is in book.ts.
 *
 * The market is always open here: local mode exists to try the bot at any
 * hour, and there is no exchange session to respect. Its calendar says so
 * (regular hours all day), so a row's extended_hours changes nothing locally;
 * an order marked extended_hours still meets Alpaca's rules for one. Crypto
 * pairs (`BTC/USD`) trade too, never short, with a stop-limit and a target as their exits.
 */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { DuplicateOrderError, NotFoundError, RejectedError } from '../../domain/errors';
import { roundCents, roundQty } from '../../domain/performance/money';
import type { Account, Asset, Bar, Fill, MarketClock, Order, OrderRequest, PortfolioHistory, Position } from '../../domain/types';
import type { AccountHistory, Broker, Clock, LocalMarket } from '../../ports';
import { isBotOrder, isProtectiveOrder } from '../../domain/trading/client-order-id';
import { isCryptoSymbol } from '../../domain/signal/symbol';
import { allDayRegular, type TradingDay } from '../../domain/trading/session';
import { PaperBook } from './book';
import { RestingExits } from './resting';
import { EquitySnapshots } from './equity';
import {
  type BookState,
  checkExtendedHours,
  checkLimitPrice,
  checkOrder,
  checkShape,
  fillPrice,
  limitReached,
  PAPER_RULES,
  PRICE_ADVICE,
} from './rules';
import { createPaperTables, toFill, toOrder, type FillRow, type OrderRow } from './schema';

/** Options for a paper broker; `startingCash` only applies when the book is first created. */
export interface PaperBrokerOptions {
  startingCash?: number;
  clock: Clock;
}

/** Alpaca lets accounts short from $2,000 of equity. */
const SHORTING_MIN_EQUITY = 2000;

/** A simulated broker that fills immediately at the alert's price; also its own account history, and the market the alerts make. */
export class PaperBroker implements Broker, AccountHistory, LocalMarket {
  /** Alpaca's rules (rules.ts). */
  readonly rules = PAPER_RULES;
  private readonly clock: Clock;
  private readonly snapshots: EquitySnapshots;
  private readonly book: PaperBook;
  private readonly resting: RestingExits;

  constructor(
    private readonly db: Database,
    options: PaperBrokerOptions,
  ) {
    this.clock = options.clock;
    createPaperTables(db, options.startingCash ?? 100_000, this.clock.now().toISOString());
    this.book = new PaperBook(db);
    this.resting = new RestingExits(db, PAPER_RULES);
    this.snapshots = new EquitySnapshots(db, () => this.book.account().starting_cash);
  }

  /** The open position in `symbol`, or null when flat. */
  async getPosition(symbol: string): Promise<Position | null> {
    return this.book.positions().find((p) => p.symbol === symbol) ?? null;
  }

  /** Every open position, by symbol. */
  async listPositions(): Promise<Position[]> {
    return this.book.positions();
  }

  /** Every symbol is tradable, fractionable and shortable locally; a crypto pair (`BTC/USD`) is never shortable. */
  async getAsset(symbol: string): Promise<Asset> {
    if (!symbol) throw new RejectedError('symbol is required', 422);
    if (isCryptoSymbol(symbol))
      return { symbol, tradable: true, fractionable: true, shortable: false, easyToBorrow: false, assetClass: 'crypto' };
    return { symbol, tradable: true, fractionable: true, shortable: true, easyToBorrow: true };
  }

  /** The symbol's latest alert or fill price; RejectedError (with the fix) before any. */
  async getLatestPrice(symbol: string): Promise<number> {
    const price = this.book.lastPrice(symbol);
    if (price === undefined) throw new RejectedError(`no price known for ${symbol} yet. ${PRICE_ADVICE}`, 404);
    return price;
  }

  /** Remembers `price` as `symbol`'s latest and revalues the account; a non-positive price is ignored. */
  recordPrice(symbol: string, price: number): void {
    if (!Number.isFinite(price) || price <= 0) return;
    const now = this.clock.now();
    this.book.setPrice(symbol, price, now.toISOString());
    this.snapshots.record(now, this.book.valuation().equity);
  }

  /** Fills the order at `referencePrice` at once, or throws Alpaca's RejectedError. */
  async submitOrder(request: OrderRequest): Promise<Order> {
    checkShape(request);
    checkExtendedHours(request);
    if (this.orderRow(request.clientOrderId, 'client_order_id') || this.resting.get(request.clientOrderId, 'client_order_id')) {
      throw new DuplicateOrderError('client_order_id must be unique', 422);
    }
    this.checkAvailable(request);
    if (request.resting)
      return this.resting.place(request, request.resting, this.book.lastPrice(request.symbol), this.clock.now().toISOString());
    const price = fillPrice(request);
    this.recordPrice(request.symbol, price); // the latest price even when the order is refused
    if (request.limitPrice !== undefined) {
      checkLimitPrice(request.limitPrice);
      if (!limitReached(request.side, request.limitPrice, price)) {
        checkOrder(request, request.limitPrice, this.accountState(request.symbol)); // refused now, as Alpaca would, not when it fills
        return this.resting.place(request, { type: 'limit', limitPrice: request.limitPrice }, price, this.clock.now().toISOString(), true);
      }
    }
    return this.db.transaction(() => this.fill(request, price))();
  }

  /**
   * The alert's price as the market: trailing stops follow it, and every
   * resting exit it reaches fills at it, as Alpaca's would.
   */
  async markPrice(symbol: string, price: number): Promise<void> {
    if (!(price > 0)) return;
    this.recordPrice(symbol, price);
    for (const exit of this.resting.reached(symbol, price)) {
      // Crypto is never short: an exit whose coins its partner already sold is cancelled, as Alpaca would.
      if (isCryptoSymbol(symbol) && exit.side === 'sell' && (exit.qty ?? 0) > this.book.positionQty(symbol) + 1e-9) {
        this.resting.cancel(exit.id);
        continue;
      }
      try {
        this.db.transaction(() => {
          this.fill({ symbol, side: exit.side, qty: exit.qty, clientOrderId: `fill-${exit.id}` }, price);
          this.resting.filled(exit.id, price);
        })();
      } catch (err) {
        // An order the account can no longer carry (buying power spent since) ends there, as a rejection would.
        if (!(err instanceof RejectedError)) throw err;
        this.resting.cancel(exit.id);
      }
    }
  }

  /** Alpaca's 403 when a closing order needs shares a resting exit already holds. */
  private checkAvailable(request: OrderRequest): void {
    const held = this.book.positionQty(request.symbol);
    const closes = (request.side === 'sell' && held > 0) || (request.side === 'buy' && held < 0);
    if (!closes && !request.resting) return;
    // A crypto stop-limit and its target may cover the same coins: Alpaca pairs nothing for crypto, the bot does.
    const reserved = request.resting && isCryptoSymbol(request.symbol) ? 0 : this.resting.held(request.symbol, request.side);
    const available = Math.max(0, (closes ? Math.abs(held) : 0) - reserved);
    const requested = request.qty ?? 0;
    if (requested > available + 1e-9) {
      throw new RejectedError(`insufficient qty available for order (requested: ${requested}, available: ${available})`, 403);
    }
  }

  /** The order with this client order id, or null. */
  async findOrderByClientId(clientOrderId: string): Promise<Order | null> {
    const exit = this.resting.get(clientOrderId, 'client_order_id');
    if (exit) return exit;
    const row = this.orderRow(clientOrderId, 'client_order_id');
    return row ? toOrder(row) : null;
  }

  /** The order by id; NotFoundError when unknown. */
  async getOrder(orderId: string): Promise<Order> {
    const exit = this.resting.get(orderId);
    if (exit) return exit;
    const row = this.orderRow(orderId);
    if (!row) throw new NotFoundError(`order ${orderId} not found`);
    return toOrder(row);
  }

  /** The resting exits: market orders fill the moment they arrive. */
  async listOpenOrders(): Promise<Order[]> {
    return this.resting.open();
  }

  /** The bot's resting exits in `symbol`. */
  async listOwnOpenOrders(symbol: string): Promise<Order[]> {
    return this.resting.open(symbol).filter((o) => isBotOrder(o.clientOrderId));
  }

  /** The bot's open resting exits in every symbol; an OCO pair's stop is in its take-profit's `legs`. */
  async listOwnProtection(): Promise<Order[]> {
    return this.resting.open().filter((o) => isProtectiveOrder(o.clientOrderId));
  }

  /** Cancels a resting exit (and its OCO pair) at once; a market order has already ended. NotFoundError for an unknown id. */
  async cancelOrder(orderId: string): Promise<void> {
    if (this.resting.cancel(orderId)) return;
    if (!this.orderRow(orderId)) throw new NotFoundError(`order ${orderId} not found`);
  }

  /** Cancels every resting exit. */
  async cancelAllOrders(): Promise<void> {
    this.resting.cancelAll();
  }

  /** Cash, equity at last prices, equity at the previous day's snapshot, 1x buying power. */
  async getAccount(): Promise<Account> {
    const now = this.clock.now();
    const { cash, equity, gross } = this.book.valuation();
    this.snapshots.record(now, equity);
    return {
      equity,
      lastEquity: this.snapshots.before(now),
      cash,
      buyingPower: Math.max(0, roundCents(equity - gross)),
      shortingEnabled: equity >= SHORTING_MIN_EQUITY,
      status: 'ACTIVE',
    };
  }

  /** Always open (see the file comment); the next close is a day away. */
  async getClock(): Promise<MarketClock> {
    const now = this.clock.now();
    const tomorrow = new Date(now.getTime() + 86_400_000);
    return { isOpen: true, timestamp: now.toISOString(), nextOpen: now.toISOString(), nextClose: tomorrow.toISOString() };
  }

  /** Regular hours all day, every day (see the file comment). */
  async getTradingDay(date: string): Promise<TradingDay | null> {
    return allDayRegular(date);
  }

  /** The paper fills with time in [start, end], oldest first. */
  async listFills(start: Date, end: Date): Promise<Fill[]> {
    const rows = this.db
      .prepare('SELECT * FROM paper_fills WHERE time >= ? AND time <= ? ORDER BY seq')
      .all(start.toISOString(), end.toISOString()) as FillRow[];
    return rows.map(toFill);
  }

  /** Daily equity from the snapshots. */
  async getPortfolioHistory(start: Date, end: Date): Promise<PortfolioHistory> {
    return this.snapshots.history(start, end);
  }

  /** No market data locally. */
  async getDailyBars(_symbol: string, _start: Date, _end: Date): Promise<Bar[]> {
    return [];
  }

  /** Applies the rules, then records order and fill, books it and snapshots equity. Runs in a transaction. */
  private fill(request: OrderRequest, price: number): Order {
    const now = this.clock.now();
    const time = now.toISOString();
    const qty = roundQty(checkOrder(request, price, this.accountState(request.symbol)));
    const id = randomUUID();
    this.db
      .prepare(
        'INSERT INTO paper_orders (id, client_order_id, symbol, side, qty, notional, filled_qty, filled_avg_price, created_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, request.clientOrderId, request.symbol, request.side, request.qty ?? null, request.notional ?? null, qty, price, time);
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO paper_fills (order_id, symbol, side, qty, price, time) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, request.symbol, request.side, qty, price, time);
    this.book.book({ id: String(lastInsertRowid), symbol: request.symbol, side: request.side, qty, price, time, orderId: id });
    this.snapshots.record(now, this.book.valuation().equity);
    return toOrder(this.orderRow(id) as OrderRow);
  }

  /** What the order rules need of the account and the symbol's position now. */
  private accountState(symbol: string): BookState {
    const { equity, gross } = this.book.valuation();
    return { positionQty: this.book.positionQty(symbol), buyingPower: equity - gross, shortingEnabled: equity >= SHORTING_MIN_EQUITY };
  }

  private orderRow(id: string, column: 'id' | 'client_order_id' = 'id'): OrderRow | undefined {
    return this.db.prepare(`SELECT * FROM paper_orders WHERE ${column} = ?`).get(id) as OrderRow | undefined;
  }
}
