/**
 * The fake's account state: cash, assets, prices, positions, orders and fill
 * activities, with the account arithmetic Alpaca does (equity, buying power,
 * quantity held by open orders). Order processing lives in fill-engine.ts.
 */
import { randomUUID } from 'node:crypto';
import type {
  AssetState,
  CalendarChanges,
  FillActivity,
  FillMode,
  OrderEvent,
  OrderState,
  PortfolioHistoryInput,
  PositionState,
  WireBar,
} from './types';

/** Statuses of an order that can still fill. */
export const OPEN_STATUSES = new Set([
  'new',
  'accepted',
  'pending_new',
  'partially_filled',
  'held',
  'accepted_for_bidding',
  'pending_cancel',
]);

/** Alpaca refuses to let an account short below this equity. */
export const SHORTING_MIN_EQUITY = 2000;

/** Assets every fake starts with, and their opening prices. */
const DEFAULT_ASSETS: Record<string, number> = {
  AAPL: 190,
  MSFT: 420,
  SPY: 500,
  QQQ: 440,
  TSLA: 250,
  NVDA: 120,
  AMZN: 180,
  META: 500,
  GOOGL: 170,
  AMD: 150,
};

/** Crypto pairs every fake starts with (class `crypto`), and their opening prices. */
const DEFAULT_CRYPTO: Record<string, number> = {
  'BTC/USD': 60_000,
  'ETH/USD': 3_000,
};

/** Options that shape a fresh book. */
export interface BookOptions {
  cash: number;
  /** Buying power = equity × multiplier − exposure; 1 behaves like a cash account. */
  multiplier: number;
  shortingEnabled: boolean;
  marketOpen: boolean;
  fill: FillMode;
  fillDelayMs: number;
}

/** All mutable state of one fake Alpaca account. */
export class Book {
  cash: number;
  lastEquity: number;
  multiplier: number;
  shortingEnabledFlag: boolean;
  accountStatus = 'ACTIVE';
  readonly accountId = randomUUID();
  readonly createdAt = new Date().toISOString();
  marketOpen: boolean;
  /** Set while the market is closed for regular hours but in pre-market or after-hours (calendar.ts). */
  extendedSession?: 'pre' | 'after';
  /** The calendar's holidays and early closes (calendar.ts). */
  readonly calendar: CalendarChanges = { holidays: new Set(), earlyCloses: new Map() };
  fillMode: FillMode;
  fillDelayMs: number;
  readonly fillModeBySymbol = new Map<string, FillMode>();
  readonly fillDelayBySymbol = new Map<string, number>();
  rejectNextCount = 0;
  /** The share of a crypto buy's coins Alpaca keeps as its fee (0.25%, its highest tier), so the position is smaller. */
  cryptoFee = 0.0025;
  /** A requested cancel loses the race: the order fills instead (while the market is open). */
  cancelLosesRace = false;
  /** Working day limits accepted while set wait for the test (`fillOpenOrders`, `partialFill`) as in manual fill mode. */
  limitsWait = false;
  /** `free`: SIP data younger than 15 minutes is refused (403), as on Alpaca's free plan. */
  dataPlan: 'free' | 'paid' = 'free';
  /** Most bars one page may hold, whatever `limit` asks; Alpaca's cap is 10 000. Lower it to test paging. */
  barsPageLimit = 10_000;
  readonly assets = new Map<string, AssetState>();
  readonly prices = new Map<string, number>();
  readonly positions = new Map<string, PositionState>();
  readonly orders: OrderState[] = [];
  readonly activities: FillActivity[] = [];
  readonly bars = new Map<string, WireBar[]>();
  history?: PortfolioHistoryInput;
  /** Told of every order change as it happens (the stream endpoint listens); nothing else depends on it. */
  onOrderEvent?: (event: OrderEvent) => void;
  private lastActivityMs = 0;

  constructor(options: BookOptions) {
    this.cash = options.cash;
    this.lastEquity = options.cash;
    this.multiplier = options.multiplier;
    this.shortingEnabledFlag = options.shortingEnabled;
    this.marketOpen = options.marketOpen;
    this.fillMode = options.fill;
    this.fillDelayMs = options.fillDelayMs;
    for (const [symbol, price] of Object.entries({ ...DEFAULT_ASSETS, ...DEFAULT_CRYPTO })) {
      this.setAsset(symbol, {});
      this.prices.set(symbol, price);
    }
  }

  /**
   * The book's symbol for what a client wrote: upper-cased, and a crypto pair found with or without its slash
   * (`BTCUSD` and `BTC/USD` are one asset, as at Alpaca).
   */
  symbolOf(text: string): string {
    const symbol = text.trim().toUpperCase();
    if (this.assets.has(symbol) || symbol.includes('/')) return symbol;
    const pair = [...this.assets.values()].find((a) => a.class === 'crypto' && a.symbol.replace('/', '') === symbol);
    return pair?.symbol ?? symbol;
  }

  /** True for a crypto asset: it trades 24/7, never short. */
  isCrypto(symbol: string): boolean {
    return this.assets.get(symbol)?.class === 'crypto';
  }

  /** True when `symbol` trades in regular hours now: the stock market is open, or it is crypto (always). */
  marketOpenFor(symbol: string): boolean {
    return this.marketOpen || this.isCrypto(symbol);
  }

  /**
   * Creates or updates an asset; new ones are active, tradable, fractionable, shortable and easy to borrow. A
   * symbol with a slash is a crypto pair: not shortable nor marginable, with a min_order_size (0.0001) and 1e-9 steps.
   */
  setAsset(symbol: string, partial: Partial<AssetState>): AssetState {
    const current = this.assets.get(symbol) ??
      (symbol.includes('/') ? cryptoAsset(symbol) : undefined) ?? {
        id: randomUUID(),
        symbol,
        name: `${symbol} Inc. Common Stock`,
        exchange: 'NASDAQ',
        status: 'active' as const,
        tradable: true,
        marginable: true,
        shortable: true,
        easy_to_borrow: true,
        fractionable: true,
        class: 'us_equity' as const,
      };
    const next = { ...current, ...partial, symbol };
    this.assets.set(symbol, next);
    return next;
  }

  price(symbol: string): number | undefined {
    return this.prices.get(symbol);
  }

  /** Price for valuing a position; its entry price when no market price was set. */
  markPrice(p: PositionState): number {
    return this.prices.get(p.symbol) ?? p.avgEntryPrice;
  }

  longMarketValue(): number {
    let sum = 0;
    for (const p of this.positions.values()) if (p.qty > 0) sum += p.qty * this.markPrice(p);
    return sum;
  }

  /** Negative, as Alpaca reports it. */
  shortMarketValue(): number {
    let sum = 0;
    for (const p of this.positions.values()) if (p.qty < 0) sum += p.qty * this.markPrice(p);
    return sum;
  }

  equity(): number {
    return this.cash + this.longMarketValue() + this.shortMarketValue();
  }

  shortingEnabled(): boolean {
    return this.shortingEnabledFlag && this.equity() >= SHORTING_MIN_EQUITY;
  }

  openOrders(symbol?: string): OrderState[] {
    return this.orders.filter((o) => OPEN_STATUSES.has(o.status) && (symbol === undefined || o.symbol === symbol));
  }

  /** Shares an order stands for: its qty, or its dollars at the current price. */
  orderQty(o: Pick<OrderState, 'qty' | 'notional' | 'symbol'>): number {
    if (o.qty !== undefined) return o.qty;
    const price = this.price(o.symbol) ?? 0;
    return price > 0 ? round9((o.notional ?? 0) / price) : 0;
  }

  /** Shares an open order has still to fill: its size less what partial fills took. */
  leavesQty(o: OrderState): number {
    return Math.max(0, round9(this.orderQty(o) - o.filled_qty));
  }

  /**
   * Signed shares of the position not already promised to an open closing order. Crypto has no OCO, so its
   * resting exits (a stop-limit and a target for the same coins) hold them once, and a new resting exit
   * (`forResting`) may cover coins another resting exit covers (the fake's assumption; see README.md).
   */
  qtyAvailable(symbol: string, forResting = false): number {
    const p = this.positions.get(symbol);
    if (!p || p.qty === 0) return 0;
    const closingSide = p.qty > 0 ? 'sell' : 'buy';
    // An OCO pair holds its shares once, on its parent.
    const closing = this.openOrders(symbol).filter((o) => o.side === closingSide && o.parentId === undefined);
    const sum = (orders: OrderState[]) => orders.reduce((s, o) => s + this.leavesQty(o), 0);
    const resting = closing.filter((o) => o.resting);
    const restingOnce = forResting ? 0 : Math.max(0, ...resting.map((o) => this.leavesQty(o)));
    const held = this.isCrypto(symbol) ? restingOnce + sum(closing.filter((o) => !o.resting)) : sum(closing);
    const free = Math.max(0, Math.abs(p.qty) - held);
    return round9(p.qty > 0 ? free : -free);
  }

  /** Dollars the open orders would add to exposure (closing parts excluded). */
  reservedForOrders(): number {
    let sum = 0;
    for (const o of this.openOrders().filter((x) => x.parentId === undefined))
      sum += this.openingQty(o.symbol, o.side, this.leavesQty(o)) * (this.price(o.symbol) ?? 0);
    return sum;
  }

  /** Of `qty` shares on `side`, how many open or increase a position rather than close one. */
  openingQty(symbol: string, side: 'buy' | 'sell', qty: number): number {
    const held = this.positions.get(symbol)?.qty ?? 0;
    const closes = side === 'buy' ? Math.max(0, -held) : Math.max(0, held);
    return Math.max(0, qty - closes);
  }

  buyingPower(): number {
    const exposure = this.longMarketValue() - this.shortMarketValue();
    return Math.max(0, this.equity() * this.multiplier - exposure - this.reservedForOrders());
  }

  /** Fill mode and delay for a symbol, its own settings winning over the fake's. */
  fillSettings(symbol: string): { mode: FillMode; delayMs: number } {
    return { mode: this.fillModeBySymbol.get(symbol) ?? this.fillMode, delayMs: this.fillDelayBySymbol.get(symbol) ?? this.fillDelayMs };
  }

  /** An activity id in Alpaca's form, `<yyyymmddhhmmssSSS>::<uuid>`, so ids sort by time. */
  nextActivityTime(requested?: string): Date {
    const ms = requested ? Date.parse(requested) : Math.max(Date.now(), this.lastActivityMs + 1);
    this.lastActivityMs = Math.max(this.lastActivityMs, ms);
    return new Date(ms);
  }

  appendActivity(activity: Omit<FillActivity, 'id' | 'activity_type'>): FillActivity {
    const stamp = activity.transaction_time.replace(/[-:TZ.]/g, '').slice(0, 17);
    const full: FillActivity = { id: `${stamp}::${randomUUID()}`, activity_type: 'FILL', ...activity };
    this.activities.push(full);
    this.activities.sort((a, b) => a.id.localeCompare(b.id));
    return full;
  }
}

/** Rounds to Alpaca's 9 decimal places for quantities. */
export function round9(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

/** A decimal string without float noise or exponent, at most `places` decimals. */
export function dec(n: number, places = 9): string {
  const s = n.toFixed(places);
  const trimmed = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

/** A new crypto pair's facts, as Alpaca lists `BTC/USD`. */
function cryptoAsset(symbol: string): AssetState {
  return {
    id: randomUUID(),
    symbol,
    name: `${symbol.split('/')[0]} / ${symbol.split('/')[1]}`,
    exchange: 'CRYPTO',
    status: 'active',
    tradable: true,
    marginable: false,
    shortable: false,
    easy_to_borrow: false,
    fractionable: true,
    class: 'crypto',
    min_order_size: 0.0001,
    min_trade_increment: 1e-9,
    price_increment: 1e-9,
  };
}
