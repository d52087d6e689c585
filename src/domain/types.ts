/** What a signal asks for: go long, go short, or close whatever is open. */
export type Action = 'long' | 'short' | 'close';

/** Which side of the book a position or order is on. */
export type Side = 'buy' | 'sell';

/** A strategy's position, as TradingView's `{{strategy.market_position}}` names it. */
export type MarketPosition = 'long' | 'short' | 'flat';

/**
 * What a strategy alert says the strategy holds after this order. When an
 * alert carries it, it decides the trade whatever the action word says.
 */
export interface StrategyIntent {
  /** `{{strategy.market_position}}`, or TradersPost's `sentiment`. */
  marketPosition: MarketPosition;
  /** `{{strategy.market_position_size}}`: the strategy's absolute size after the order. */
  size?: number;
  /** `{{strategy.prev_market_position_size}}`: its absolute size before the order. */
  prevSize?: number;
  /** `{{strategy.prev_market_position}}`. */
  prevMarketPosition?: MarketPosition;
}

/** Which sides a Config row may hold: its `direction` column. */
export type Direction = 'both' | 'long only' | 'short only';

/** A TradingView alert after parsing and normalising; all fields are trusted shapes. */
export interface Signal {
  action: Action;
  /** Upper-case ticker, exchange prefix removed (`NASDAQ:AAPL` → `AAPL`); a crypto pair with its slash (`BTC/USD`). */
  symbol: string;
  /** Canonical timeframe key from `normaliseTimeframe`, e.g. `15m`, `60m`, `1D`. */
  timeframe: string;
  /** The timeframe as the alert spelled it, for logs and answers. */
  timeframeLabel: string;
  /** The alert's price (`{{close}}`), when it sent one. */
  price?: number;
  /** The fire time (`{{timenow}}`), ISO UTC, when present. */
  firedAt?: string;
  /** The bar's open time (`{{time}}`), ISO UTC, when present. Never a freshness measure. */
  barTime?: string;
  /** An explicit identity the sender gave (`id` field), when present. */
  explicitId?: string;
  /** The strategy's own position after this order, when the alert sent it. */
  strategy?: StrategyIntent;
  /** The alert's own action word when a strategy position decided `action` (a partial exit's `sell` while still long). */
  alertAction?: Action;
}

/** An open position at the broker; `qty` is negative for a short. */
export interface Position {
  symbol: string;
  qty: number;
  side: 'long' | 'short';
  avgEntryPrice: number;
  marketValue: number;
  unrealizedPl: number;
  currentPrice?: number;
}

/** What the broker says about a tradable symbol. */
export interface Asset {
  symbol: string;
  tradable: boolean;
  fractionable: boolean;
  shortable: boolean;
  easyToBorrow: boolean;
  /** `us_equity` or `crypto`; absent when the broker did not say (then a US equity). */
  assetClass?: 'us_equity' | 'crypto';
  /** Crypto: the smallest quantity an order may have. */
  minOrderSize?: number;
  /** Crypto: the step a quantity moves in. */
  minTradeIncrement?: number;
}

/** Broker order lifecycle, reduced to what the bot acts on. */
export type OrderState = 'open' | 'filled' | 'failed';

/** One order as the broker reports it. */
export interface Order {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  qty?: number;
  notional?: number;
  /** The broker's own status word (`accepted`, `filled`, `rejected`, …). */
  status: string;
  state: OrderState;
  filledQty: number;
  filledAvgPrice?: number;
  /** Why the broker ended it without a fill, when it says. */
  reason?: string;
  /** The broker's order type (`market`, `stop`, `limit`, `trailing_stop`), when it says. */
  type?: string;
  /** The other orders of a multi-leg order (an OCO's stop), when the broker nests them. */
  legs?: Order[];
  /** A stop's trigger; for a trailing stop, where it stands now. */
  stopPrice?: number;
  /** A limit order's price (a take-profit). */
  limitPrice?: number;
  /** A trailing stop's distance from the best price since it was placed, in percent. */
  trailPercent?: number;
}

/** A resting exit's terms: it waits at the broker (GTC; whole shares for equities) until the price reaches it. */
export type RestingTerms =
  | { type: 'stop'; stopPrice: number }
  | { type: 'limit'; limitPrice: number }
  | { type: 'trailing_stop'; trailPercent: number }
  /** A stop that, once triggered, sells or buys at `limitPrice` or better (crypto's only stop). */
  | { type: 'stop_limit'; stopPrice: number; limitPrice: number }
  /** A take-profit limit and a stop loss as one OCO pair: one filling cancels the other. */
  | { type: 'oco'; limitPrice: number; stopPrice: number };

/** How long a working order stays at the broker: the trading day, until cancelled (crypto), or at once or never (crypto). */
export type TimeInForce = 'day' | 'gtc' | 'ioc';

/**
 * An order to send: a market order (or, with `limitPrice`, a limit order), `day` unless `timeInForce` says
 * otherwise; with `resting`, a GTC protective exit instead. Exactly one of `qty` and `notional` is set
 * (a limit order always has `qty`).
 */
export interface OrderRequest {
  symbol: string;
  side: Side;
  qty?: number;
  notional?: number;
  clientOrderId: string;
  /** The alert's price; only the local paper broker fills at it, Alpaca ignores it. */
  referencePrice?: number;
  /** A working limit order's price, on the broker's tick; absent: a market order. */
  limitPrice?: number;
  /** How long a working order lives; absent: `day`. */
  timeInForce?: TimeInForce;
  /** True for a limit order meant to trade in the pre-market or after-hours session. */
  extendedHours?: boolean;
  /** Set for a protective exit: a GTC stop, limit, trailing stop or OCO pair for whole shares. */
  resting?: RestingTerms;
}

/** One execution from the account's fill history. */
export interface Fill {
  id: string;
  symbol: string;
  side: Side;
  qty: number;
  price: number;
  /** ISO UTC time of the execution. */
  time: string;
  orderId: string;
}

/** The account figures the bot and analytics use. */
export interface Account {
  equity: number;
  lastEquity: number;
  cash: number;
  buyingPower: number;
  shortingEnabled: boolean;
  status: string;
}

/** Whether the market is open now, and when it next opens and closes (ISO). */
export interface MarketClock {
  isOpen: boolean;
  timestamp: string;
  nextOpen: string;
  nextClose: string;
}

/** Daily (or other) equity series from the broker; times are unix seconds. */
export interface PortfolioHistory {
  timestamp: number[];
  equity: (number | null)[];
  profitLoss: (number | null)[];
  baseValue: number;
}

/** One OHLCV bar; `t` is ISO UTC. */
export interface Bar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}
