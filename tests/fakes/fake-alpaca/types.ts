/** Shared types of the fake Alpaca server: its state records and the test-facing option shapes. */
import type { IncomingHttpHeaders } from 'node:http';

/** Which of Alpaca's two hosts a request reached. */
export type Host = 'trading' | 'data';

/** `immediate`: fills `fillDelayMs` after acceptance (once the market is open); `manual`: only on `fillOpenOrders()`. */
export type FillMode = 'immediate' | 'manual';

/** An asset as GET /v2/assets/{symbol} reports it (the fields the bot reads, plus a few for shape). */
export interface AssetState {
  id: string;
  symbol: string;
  name: string;
  exchange: string;
  status: 'active' | 'inactive';
  tradable: boolean;
  marginable: boolean;
  shortable: boolean;
  easy_to_borrow: boolean;
  fractionable: boolean;
  /** `us_equity`, or `crypto` for a pair (`BTC/USD`). */
  class: 'us_equity' | 'crypto';
  /** Crypto only: the smallest quantity an order may have. */
  min_order_size?: number;
  /** Crypto only: the step a quantity moves in. */
  min_trade_increment?: number;
  /** Crypto only: the step a price moves in. */
  price_increment?: number;
}

/** An order the fake received; numbers here, strings on the wire. */
export interface OrderState {
  id: string;
  client_order_id: string;
  symbol: string;
  asset_id: string;
  side: 'buy' | 'sell';
  /** Whether it opens or closes, from the position when it was accepted. */
  position_intent: 'buy_to_open' | 'buy_to_close' | 'sell_to_open' | 'sell_to_close';
  type: string;
  time_in_force: string;
  qty?: number;
  notional?: number;
  status: string;
  created_at: string;
  updated_at: string;
  submitted_at: string;
  filled_at?: string;
  canceled_at?: string;
  expired_at?: string;
  failed_at?: string;
  filled_qty: number;
  filled_avg_price?: number;
  /** Epoch ms from which the order may fill (immediate mode); undefined in manual mode. */
  fillAt?: number;
  /** Set when `rejectNext` picked this order: it ends `rejected` instead of filling. */
  willReject?: boolean;
  /** `oco` for both orders of a one-cancels-other pair; simple orders have none. */
  order_class?: 'oco';
  limit_price?: number;
  stop_price?: number;
  trail_percent?: number;
  /** A stop-limit whose stop the price has reached: it now rests as a limit order. */
  stopTriggered?: boolean;
  /** A trailing stop's high (sell) or low (buy) water mark since it was placed. */
  hwm?: number;
  /** A stop, limit or trailing stop: it fills when the price reaches it, never on a timer. */
  resting?: boolean;
  /** Sent with extended_hours=true: trades in pre-market and after-hours too. */
  extended_hours?: boolean;
  /** A working (`day`) limit order accepted in manual mode: the price never fills it, only `fillOpenOrders()` or `partialFill`. */
  manual?: boolean;
  /** The OCO parent's id, on its leg. */
  parentId?: string;
  /** The OCO leg's id, on its parent. */
  legId?: string;
}

/** One execution of an order: a fill or a partial fill. */
export interface Execution {
  id: string;
  qty: number;
  price: number;
  /** The position's signed size right after it. */
  positionQty: number;
}

/** An order's change as Alpaca's trade_updates stream names it (`new`, `fill`, `partial_fill`, `canceled`, …). */
export interface OrderEvent {
  event: string;
  order: OrderState;
  /** ISO time of the change. */
  at: string;
  /** Set on `fill` and `partial_fill`. */
  execution?: Execution;
}

/** A position: `qty` is negative for a short. */
export interface PositionState {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
}

/** A FILL account activity in Alpaca's wire shape (strings for numbers). */
export interface FillActivity {
  id: string;
  activity_type: 'FILL';
  transaction_time: string;
  type: 'fill' | 'partial_fill';
  price: string;
  qty: string;
  side: 'buy' | 'sell' | 'sell_short';
  symbol: string;
  leaves_qty: string;
  order_id: string;
  cum_qty: string;
  order_status: string;
}

/** What a test passes to `addFills`; missing fields get sensible values. */
export interface FillInput {
  symbol: string;
  side: 'buy' | 'sell' | 'sell_short';
  qty: number;
  price: number;
  /** ISO time; defaults to one millisecond after the previous activity. */
  time?: string;
  orderId?: string;
  type?: 'fill' | 'partial_fill';
}

/** A bar as the market-data API sends it (`t` is RFC 3339). */
export interface WireBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

/** The portfolio-history series a test sets; missing P&L arrays are derived from equity. */
export interface PortfolioHistoryInput {
  /** Unix seconds. */
  timestamp: number[];
  equity: (number | null)[];
  profit_loss?: (number | null)[];
  profit_loss_pct?: (number | null)[];
  base_value?: number;
  timeframe?: string;
}

/** One request as the fake saw it, in arrival order. */
export interface RequestRecord {
  host: Host;
  method: string;
  /** Path without the query string, e.g. `/v2/orders:by_client_order_id`. */
  path: string;
  query: Record<string, string>;
  /** Node's lower-cased headers. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, when one was sent. */
  body?: unknown;
  time: Date;
}

/** A route's answer, before faults and serialisation. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A fault to inject; see README.md for the semantics of each field. */
export interface FaultSpec {
  /** Matches every method when absent. */
  method?: string;
  /** Tested against the path without the query string. */
  path: RegExp;
  /** Matches both hosts when absent. */
  host?: Host;
  /** Answer this status (with `body`, or Alpaca's usual `{code,message}` for it). */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (or before handling, without other effects). */
  delayMs?: number;
  /** How many matching requests it affects; default 1, `Infinity` for all. */
  times?: number;
  /** Destroy the connection without any answer. */
  hangUp?: boolean;
  /** Never answer (until the fake closes); pair with a short client timeout. */
  hang?: boolean;
  /** Really perform the request first (e.g. place the order), then fail the answer. */
  afterApplying?: boolean;
  /** Only requests whose parsed JSON body passes this (e.g. only stop orders). */
  when?: (body: unknown) => boolean;
}

/** A calendar's changes from the usual weekdays: holidays, and early closes with their close time. */
export interface CalendarChanges {
  holidays: Set<string>;
  /** date → the early close, `HH:MM`; after-hours then runs to 17:00, as on Alpaca's half days. */
  earlyCloses: Map<string, string>;
}
