/**
 * A wire-level fake of Alpaca's Trading and Market Data APIs for component
 * tests: the real SDK talks to it over HTTP, and it enforces Alpaca's rules.
 * See README.md in this folder for the control API and the rules modelled.
 */
import { Book, type BookOptions } from './book';
import { type FakeSession, setSession } from './calendar';
import { expireOpenOrders, fillOpenOrders, partialFill, settle } from './fill-engine';
import { addFills, generateBars, generateFills, type GenerateBarsOptions, type GenerateFillsOptions } from './generators';
import { accountRoutes } from './routes-account';
import { dataRoutes } from './routes-data';
import { orderRoutes } from './routes-orders';
import { type FaultHandle, FakeServer } from './server';
import { accountJson, orderJson, positionJson } from './shapes';
import { type StreamControls, TradeUpdatesStream } from './stream';
import type { AssetState, FaultSpec, FillActivity, FillInput, FillMode, PortfolioHistoryInput, RequestRecord, WireBar } from './types';

export type { AssetState, FaultSpec, FillActivity, FillInput, FillMode, PortfolioHistoryInput, RequestRecord, WireBar } from './types';
export type { FaultHandle } from './server';
export type { FakeSession } from './calendar';
export type { StreamControls } from './stream';

/** How a fake starts; every field is optional. */
export interface FakeAlpacaOptions {
  /** The keys it accepts; default `test-key-id` / `test-secret-key`. */
  keyId?: string;
  secretKey?: string;
  /** Starting cash (and last equity); default 100 000. */
  cash?: number;
  /** Buying power = equity × multiplier − exposure − open orders; default 1 (a cash account). */
  multiplier?: number;
  /** The account may short (also needs equity ≥ 2 000); default true. */
  shortingEnabled?: boolean;
  /** Added to every request; default 0. */
  latencyMs?: number;
  /** Default true. */
  marketOpen?: boolean;
  /** Default `immediate`. */
  fill?: FillMode;
  /** Default 0: filled from the request after the POST. */
  fillDelayMs?: number;
  /** `free` (default) refuses SIP data younger than 15 minutes with 403. */
  dataPlan?: 'free' | 'paid';
  /** Most bars per page whatever `limit` asks (Alpaca: 10 000); lower it to test paging. */
  barsPageLimit?: number;
  /** Requests a minute per host before 429 (Alpaca: 200 per key); false = unlimited. */
  rateLimitPerMinute?: number | false;
}

/** A running fake and its control API (the trade_updates stream's controls included). */
export interface FakeAlpaca extends StreamControls {
  /** Trading API origin, for `baseUrl`. */
  readonly url: string;
  /** Market Data API origin (a second port), for `dataUrl`. */
  readonly dataUrl: string;
  readonly keyId: string;
  readonly secretKey: string;
  /** Every order received, oldest first, in Alpaca's wire shape. */
  readonly orders: Record<string, unknown>[];
  /** Every request received (both hosts), oldest first. */
  readonly requests: RequestRecord[];
  /** Open positions in Alpaca's wire shape. */
  positions(): Record<string, unknown>[];
  /** The account in Alpaca's wire shape. */
  account(): Record<string, unknown>;
  /** FILL activities, oldest first. */
  activities(): FillActivity[];
  setPrice(symbol: string, price: number): void;
  setAsset(symbol: string, partial: Partial<Omit<AssetState, 'symbol'>>): void;
  /** Sets a position directly (qty < 0 for short, 0 to remove); cash is not touched. */
  setPosition(symbol: string, qty: number, avgPrice?: number): void;
  setAccount(partial: { cash?: number; lastEquity?: number; multiplier?: number; shortingEnabled?: boolean; status?: string }): void;
  addFills(fills: FillInput[]): FillActivity[];
  generateFills(n: number, options?: GenerateFillsOptions): FillActivity[];
  setPortfolioHistory(history: PortfolioHistoryInput): void;
  setBars(symbol: string, bars: WireBar[]): void;
  /** Sets and returns `n` generated daily bars for `symbol`. */
  generateBars(symbol: string, n: number, options?: GenerateBarsOptions): WireBar[];
  setMarketOpen(open: boolean): void;
  openMarket(): void;
  closeMarket(): void;
  /**
   * Regular hours (the market open), pre-market or after-hours (closed, but extended-hours limits trade and
   * are routed), or closed. `setMarketOpen`, `openMarket` and `closeMarket` set regular or closed.
   */
  setSession(session: FakeSession): void;
  /** `GET /v2/calendar` leaves out this date (`YYYY-MM-DD`), as a market holiday. */
  setHoliday(date: string): void;
  /** `GET /v2/calendar` gives this date an early close (`HH:MM`, default 13:00) and after-hours to 17:00. */
  setEarlyClose(date: string, close?: string): void;
  /** Fills (or rejects, after `rejectNext`) every open order now; returns them in wire shape. */
  fillOpenOrders(): Record<string, unknown>[];
  /** Ends every open order `expired`. */
  expireOpenOrders(): void;
  /** Fills `qty` shares of one open order (by id or client order id) at the current price; it turns `partially_filled`. */
  partialFill(orderIdOrClientId: string, qty: number): Record<string, unknown>;
  setFillMode(mode: FillMode, symbol?: string): void;
  setFillDelay(ms: number, symbol?: string): void;
  /** While on, working day limits accepted wait as in manual fill mode, whatever the fill mode (market orders still fill). */
  setLimitsWait(on: boolean): void;
  /** The next `count` accepted orders end `rejected` instead of filling. */
  rejectNext(count?: number): void;
  /** When true, a cancel (DELETE /v2/orders/{id}) loses the race: the order fills instead of ending `canceled`. */
  setCancelLosesRace(loses: boolean): void;
  setDataPlan(plan: 'free' | 'paid'): void;
  setBarsPageLimit(n: number): void;
  inject(fault: FaultSpec): FaultHandle;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** Requests a minute per host before 429; false = unlimited. */
  setRateLimit(perMinute: number | false): void;
  /** Back to the starting state: new book, no requests, no faults; same URLs and keys. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a fake Alpaca on two ephemeral 127.0.0.1 ports. */
export async function startFakeAlpaca(options: FakeAlpacaOptions = {}): Promise<FakeAlpaca> {
  const bookOptions: BookOptions = {
    cash: options.cash ?? 100_000,
    multiplier: options.multiplier ?? 1,
    shortingEnabled: options.shortingEnabled ?? true,
    marketOpen: options.marketOpen ?? true,
    fill: options.fill ?? 'immediate',
    fillDelayMs: options.fillDelayMs ?? 0,
  };
  const freshBook = () => {
    const b = new Book(bookOptions);
    b.dataPlan = options.dataPlan ?? 'free';
    b.barsPageLimit = options.barsPageLimit ?? 10_000;
    return b;
  };
  const routesFor = (b: Book) => [...orderRoutes(b), ...accountRoutes(b), ...dataRoutes(b)];
  let book = freshBook();
  const settings = {
    keyId: options.keyId ?? 'test-key-id',
    secretKey: options.secretKey ?? 'test-secret-key',
    latencyMs: options.latencyMs ?? 0,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 200,
  };
  const server = new FakeServer(book, routesFor(book), settings);
  const stream = new TradeUpdatesStream(book, settings, server.requests);
  server.hooks.upgrade = (req, socket, head) => stream.upgrade(req, socket, head);
  server.hooks.afterRoute = () => stream.afterRequest();
  const { url, dataUrl } = await server.listen();
  const current = () => {
    settle(book);
    return book;
  };

  return {
    url,
    dataUrl,
    keyId: settings.keyId,
    secretKey: settings.secretKey,
    get orders() {
      return current().orders.map((o) => orderJson(o));
    },
    get requests() {
      return server.requests;
    },
    positions: () => [...current().positions.values()].map((p) => positionJson(book, p)),
    account: () => accountJson(current()),
    activities: () => [...book.activities],
    setPrice: (text, price) => {
      const symbol = book.symbolOf(text);
      if (!book.assets.has(symbol)) book.setAsset(symbol, {});
      book.prices.set(symbol, price);
      // Resting stops, targets and trailing stops see every price: a trailing stop follows each new high.
      settle(book);
    },
    setAsset: (symbol, partial) => void book.setAsset(book.symbolOf(symbol), partial),
    setPosition: (text, qty, avgPrice) => {
      const symbol = book.symbolOf(text);
      if (qty === 0) book.positions.delete(symbol);
      else book.positions.set(symbol, { symbol, qty, avgEntryPrice: avgPrice ?? book.price(symbol) ?? 100 });
    },
    setAccount: (p) => {
      if (p.cash !== undefined) book.cash = p.cash;
      if (p.lastEquity !== undefined) book.lastEquity = p.lastEquity;
      if (p.multiplier !== undefined) book.multiplier = p.multiplier;
      if (p.shortingEnabled !== undefined) book.shortingEnabledFlag = p.shortingEnabled;
      if (p.status !== undefined) book.accountStatus = p.status;
    },
    addFills: (fills) => addFills(book, fills),
    generateFills: (n, o) => generateFills(book, n, o),
    setPortfolioHistory: (h) => void (book.history = h),
    setBars: (symbol, bars) => void book.bars.set(symbol, bars),
    generateBars: (symbol, n, o) => {
      const bars = generateBars(n, o);
      book.bars.set(symbol, bars);
      return bars;
    },
    setMarketOpen: (open) => setSession(book, open ? 'regular' : 'closed'),
    openMarket: () => setSession(book, 'regular'),
    closeMarket: () => setSession(book, 'closed'),
    setSession: (session) => setSession(book, session),
    setHoliday: (date) => void book.calendar.holidays.add(date),
    setEarlyClose: (date, close = '13:00') => void book.calendar.earlyCloses.set(date, close),
    fillOpenOrders: () => fillOpenOrders(book).map((o) => orderJson(o)),
    expireOpenOrders: () => expireOpenOrders(book),
    partialFill: (idOrClientId, qty) => {
      const order = current().orders.find((o) => o.id === idOrClientId || o.client_order_id === idOrClientId);
      if (!order) throw new Error(`no order ${idOrClientId}`);
      partialFill(book, order, qty);
      return orderJson(order);
    },
    setFillMode: (mode, symbol) => void (symbol ? book.fillModeBySymbol.set(symbol, mode) : (book.fillMode = mode)),
    setFillDelay: (ms, symbol) => void (symbol ? book.fillDelayBySymbol.set(symbol, ms) : (book.fillDelayMs = ms)),
    setLimitsWait: (on) => void (book.limitsWait = on),
    rejectNext: (count = 1) => void (book.rejectNextCount += count),
    setCancelLosesRace: (loses) => void (book.cancelLosesRace = loses),
    setDataPlan: (plan) => void (book.dataPlan = plan),
    setBarsPageLimit: (n) => void (book.barsPageLimit = n),
    inject: (fault) => server.inject(fault),
    clearFaults: () => server.clearFaults(),
    setLatency: (ms) => void (settings.latencyMs = ms),
    setRateLimit: (perMinute) => void (settings.rateLimitPerMinute = perMinute),
    ...stream.controls(),
    reset: () => {
      book = freshBook();
      server.use(book, routesFor(book));
      stream.use(book);
      stream.resetControls();
    },
    close: () => {
      stream.close();
      return server.close();
    },
  };
}
