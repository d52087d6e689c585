/**
 * The small interfaces between the use cases and the outside world. Use cases
 * depend only on these; adapters implement them; `src/main.ts` wires them.
 * Every method translates vendor failures into the errors of `domain/errors`:
 * TemporaryError (retry), RejectedError (final, with the service's reason),
 * NotFoundError.
 */
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
  Side,
  Signal,
} from './domain/types';
import type { OrderLeg } from './domain/client-order-id';
import type { LayoutChange, TabFacts } from './domain/sheet-layout';
import type { SignalIdentity } from './domain/signal-identity';
import type { SheetValue } from './domain/config-table';
import type { RowChange } from './domain/row-performance';
import type { OrderMeaning, OrderRole } from './domain/order-meaning';
import type { ProtectionSettings } from './domain/protection';

/** Where orders go: Alpaca (paper or live) or the embedded paper broker. */
export interface Broker {
  /** `live` and `paper` are Alpaca accounts; `local` is the embedded paper broker. */
  readonly mode: 'live' | 'paper' | 'local';
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
  /**
   * Tells a broker with no market of its own (the local paper broker) the
   * price an alert brought: its resting exits fill when it reaches them.
   * Alpaca has a market, so it has no such method.
   */
  markPrice?(symbol: string, price: number): Promise<void>;
  /** Equity, last close equity, buying power. */
  getAccount(): Promise<Account>;
  /** The market clock. */
  getClock(): Promise<MarketClock>;
}

/** The account's history, for the Performance tab and the analytics CLI. */
export interface AccountHistory {
  /** Every fill with `time` in [start, end], oldest first, all pages followed. */
  listFills(start: Date, end: Date): Promise<Fill[]>;
  /** Daily equity (1D timeframe) over [start, end]. */
  getPortfolioHistory(start: Date, end: Date): Promise<PortfolioHistory>;
  /** Daily bars for `symbol` over [start, end], oldest first; [] when there is no market data. */
  getDailyBars(symbol: string, start: Date, end: Date): Promise<Bar[]>;
}

/**
 * One cell to write, 1-based row and column, always written RAW: text as
 * plain text (never a formula), a boolean as a checkbox's state (TRUE/FALSE in a CSV file).
 */
export interface CellWrite {
  tab: string;
  row: number;
  column: number;
  value: string | boolean;
}

/**
 * A rectangle of cells to write, from its top-left cell (1-based), always as
 * plain text (RAW); `""` empties a cell. Used to rewrite a run of rows at once.
 */
export interface BlockWrite {
  tab: string;
  row: number;
  column: number;
  rows: string[][];
}

/** One entry of a batched write: a single cell or a block of rows. */
export type SheetWrite = CellWrite | BlockWrite;

/** The trader's spreadsheet: the Google Sheet, or CSV files in local mode. */
export interface SheetStore {
  /** `google` for the Google Sheet, `local` for the CSV files. */
  readonly kind: 'google' | 'local';
  /** Where it lives, for logs and the banner (sheet id or folder). */
  readonly location: string;
  /**
   * Every row of `tab` as displayed text (row 0 is the header). Trailing empty
   * cells may be missing. NotFoundError when the tab does not exist.
   */
  readTab(tab: string): Promise<string[][]>;
  /**
   * Every row of `tab` with numbers and booleans as typed values (Sheets'
   * UNFORMATTED_VALUE; dates as displayed text), so a number reads the same
   * whatever the sheet's locale. Text stays text. The CSV sheet has only text.
   */
  readValues(tab: string): Promise<SheetValue[][]>;
  /**
   * Writes all the cells and blocks in one request, as RAW text, never as
   * formulas. NotFoundError when a tab written to does not exist (nothing is written then).
   */
  writeCells(writes: SheetWrite[]): Promise<void>;
  /** Creates `tab` (empty) unless it exists; true when it was created. */
  ensureTab(tab: string): Promise<boolean>;
  /**
   * Makes `tab` hold exactly `rows` (created when missing), in one write so a
   * reader never sees it half done; rows and cells beyond the new content are blanked.
   */
  replaceTab(tab: string, rows: string[][]): Promise<void>;
}

/** The sheet's structure, read and changed by `npm run sheet:init`. */
export interface SheetLayout {
  /** Whether the sheet keeps formats, validation and colours (the Google Sheet does, CSV files don't). */
  readonly formatting: boolean;
  /** What the named tabs that exist hold (top rows, frozen rows, colour rules); missing tabs are left out. */
  inspect(tabs: string[]): Promise<TabFacts[]>;
  /** Makes the changes: tabs and formats in one structural request, then the header cells as RAW values. */
  apply(changes: LayoutChange[]): Promise<void>;
}

/** A message for the trader on every configured channel. */
export type Notification =
  | {
      kind: 'alert';
      /** Short headline, e.g. "Drawdown 12.1% exceeds 10%". */
      title: string;
      /** A few lines of detail. */
      text: string;
    }
  | {
      kind: 'report';
      subject: string;
      /** Plain-text body. */
      text: string;
      /** Self-contained HTML body; inline images referenced as `cid:<cid>`. */
      html: string;
      /** At most 160 characters, for SMS. */
      sms: string;
      /** Slack Block Kit blocks. */
      slackBlocks: unknown[];
      /** Files to attach (CSVs). */
      attachments: { filename: string; path: string }[];
      /** Images shown inline in the HTML. */
      inlineImages: { cid: string; filename: string; path: string }[];
    };

/** One delivery channel (email, SMS or Slack). */
export interface Notifier {
  readonly channel: 'email' | 'sms' | 'slack';
  /** Delivers it or throws; callers log one channel's failure and go on with the others. */
  send(notification: Notification): Promise<void>;
}

/** Time, injectable so tests can control it. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** One line per event, structured; implementations must never print secrets. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** The bot's own vital signs, for /health. */
export interface HealthProbe {
  /** Undefined when the journal can be written and the database passes a quick check; else what is wrong. */
  problem(): string | undefined;
  /** Statuses waiting in the outbox to be written into the sheet. */
  outboxBacklog(): number;
  /** When the last signal arrived (epoch ms), if any ever did. */
  lastSignalAt(): number | undefined;
}

/** Small durable key-value state (halt flag, alert cool-downs), kept in the journal. */
export interface StateStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** A signal as the journal holds it. `state` is `working` until its outcome is decided. */
export interface SignalRecord {
  id: string;
  receivedAt: number;
  signal: Signal;
  /** The body as received, secret fields removed. */
  raw: string;
  state: 'working' | 'done';
  decision?: string;
  status?: string;
  reason?: string;
  /** The client order id of the bot's queued order this signal waits behind (per-row), if it does. */
  waitsFor?: string;
}

/** One order the bot sent (or was about to send), by its client order id. */
export interface OrderRecord {
  clientOrderId: string;
  signalId: string;
  /** `close`, `open` and `scale` are a signal's legs; `flatten` comes from POST /flatten. */
  leg: OrderLeg;
  symbol: string;
  side: Side;
  qty?: number;
  notional?: number;
  /** The Config row (timeframe) whose book the order's fills move, in per-row mode; absent in shared mode. */
  book?: string;
  /** Why it exists: entry, exit, the rest of an exit, flatten, or protective. */
  role: OrderRole;
  /** What its final state sets off, journaled with it when it was sent. */
  meaning: OrderMeaning;
  /** The client order id of the order whose fill sent this one (a flip's close, for its opening leg). */
  parent?: string;
  /** When its meaning was applied (ms); absent until then. */
  settledAt?: number;
  /** The signal that cancelled it to trade its own way: its meaning is no longer applied, only its fills. */
  supersededBy?: string;
  /** `pending` = written before sending, outcome not yet known. */
  state: 'pending' | 'open' | 'filled' | 'failed';
  brokerId?: string;
  brokerStatus?: string;
  filledQty?: number;
  filledAvgPrice?: number;
  reason?: string;
  createdAt: number;
  updatedAt: number;
}

/** A status waiting in the outbox to be written into the sheet. */
export interface PendingStatus {
  id: number;
  symbol: string;
  timeframe: string;
  status: string;
  reason?: string;
  /** Last Updated, already formatted in the status time zone. */
  updatedAt: string;
}

/** One Config row's own position (per-row mode). */
export interface RowBookEntry {
  symbol: string;
  timeframe: string;
  /** Signed whole shares. */
  qty: number;
  /** When it last changed (ms). */
  changedAt: number;
}

/** One change to a row's book: a fill, a change netted inside the symbol, a reconcile correction, or a mode switch. */
export interface RowBookChange extends RowChange {
  source: 'fill' | 'netted' | 'reconcile' | 'assigned';
}

/** The per-row books of POSITION_MODE=per-row, kept in the journal. */
export interface RowBooks {
  /** Every row's book, or those of one symbol. */
  rowBooks(symbol?: string): RowBookEntry[];
  /** Applies a change to its row's book, once per `ref`; false when already applied. */
  applyRowChange(change: Omit<RowBookChange, 'id'>): boolean;
  /** Every change at or after `sinceMs`, oldest first (the lots for per-row P&L). */
  rowChanges(sinceMs: number): RowBookChange[];
  /** Empties every row's book (per-row mode starts afresh). */
  clearRowBooks(): void;
  /** The timeframe of the row whose signal last had an order filled in `symbol`; undefined when none. */
  latestTradeRow(symbol: string): string | undefined;
}

/** The protection a symbol's position should have (shared mode): the row whose entry set it, and its settings (empty: none). */
export interface PositionProtection {
  signalId: string;
  timeframe: string;
  side: 'long' | 'short';
  settings: ProtectionSettings;
  /** The opening fill's price; absent after an add (the position's average entry price is used then). */
  entryPrice?: number;
}

/** Durable facts about symbols and signals that outlive one order, each typed (no string keys). */
export interface TradeState {
  /** The protection `symbol`'s position should have; undefined when none. */
  protectionOf(symbol: string): PositionProtection | undefined;
  /** Sets (or, with undefined, clears) the protection `symbol`'s position should have. */
  setProtection(symbol: string, protection: PositionProtection | undefined): void;
  /** Symbols whose position wants protection, or that still have a protective order of the bot's working. */
  protectedSymbols(): string[];
  /** Marks the signal's row retold (the position changed under it): it is no longer believed open. */
  markRetold(signalId: string, at: number): void;
  /** What per-row reconcile last could not explain in `symbol` (shares); undefined before the first check. */
  unexplained(symbol: string): number | undefined;
  /** Records what per-row reconcile could not explain in `symbol`. */
  setUnexplained(symbol: string, qty: number): void;
}

/** The durable record of signals, orders, the sheet outbox and the per-row books (SQLite). */
export interface Journal extends StateStore, RowBooks, TradeState {
  /** Runs `work` as one transaction: all of its writes land, or none. */
  atomically<T>(work: () => T): T;
  /** Records a signal unless its identity was seen (stable) or seen within the window; says which. */
  recordSignal(input: {
    identity: SignalIdentity;
    windowMs: number;
    receivedAt: number;
    raw: string;
    signal: Signal;
  }): { signalId: string; duplicate: boolean };
  getSignal(signalId: string): SignalRecord | undefined;
  /** Marks the signal done with its decision (e.g. "bought", "ignored: no row") and sheet status. */
  decide(signalId: string, decision: string, status?: string, reason?: string): void;
  /** Signals whose outcome was never decided (the process stopped mid-way). */
  workingSignals(): SignalRecord[];
  /** Writes an order and its meaning before it is sent, in one transaction, so a crash can never lose track of either. */
  recordOrder(order: Pick<OrderRecord, 'clientOrderId' | 'signalId' | 'leg' | 'symbol' | 'side' | 'qty' | 'notional' | 'book' | 'meaning' | 'parent'>): void;
  /**
   * Stores what the broker says of the order now, never going back from a final
   * state (events may come late or twice); once it ends with fills, they move
   * its row books, once. Returns the record as stored; undefined for an order the bot never journaled.
   */
  updateOrder(clientOrderId: string, order: Order): OrderRecord | undefined;
  /** Calls `listener` with the symbol after each update that records more filled shares of an order than before. */
  onOrderFilled(listener: (symbol: string) => void): void;
  /** Records that the order's meaning was applied. */
  markSettled(clientOrderId: string): void;
  /** Records that `bySignalId` cancelled the order to trade its own way. */
  markSuperseded(clientOrderId: string, bySignalId: string): void;
  /** Orders that ended but whose meaning was not applied yet (a restart between the two), oldest first. */
  unsettledOrders(): OrderRecord[];
  /** The symbol's orders the journal believes still working (pending or open). */
  workingOrders(symbol: string): OrderRecord[];
  /** Records that the signal waits behind the bot's own queued order `clientOrderId`, to be traded again when that order ends; undefined: it waits no more. */
  deferSignal(signalId: string, clientOrderId: string | undefined): void;
  /** The signals waiting behind `clientOrderId`, oldest first; each is released (no longer waiting) by this call. */
  releaseSignalsBehind(clientOrderId: string): SignalRecord[];
  /** Marks an order failed (never reached the broker, or the broker refused it) and settled: its caller handles that outcome. */
  failOrder(clientOrderId: string, reason: string): void;
  getOrder(clientOrderId: string): OrderRecord | undefined;
  ordersForSignal(signalId: string): OrderRecord[];
  /** Orders whose final state is not known yet. */
  unfinishedOrders(): OrderRecord[];
  /** Queues a status for the sheet. */
  enqueueStatus(status: Omit<PendingStatus, 'id'>): void;
  /** The oldest queued statuses, in order. */
  pendingStatuses(limit: number): PendingStatus[];
  /** Removes written statuses from the outbox. */
  completeStatuses(ids: number[]): void;
  /**
   * Rows whose latest outcome says a position is open (FILLED, ALREADY LONG or
   * ALREADY SHORT, with no newer signal still working or ending WAITING).
   */
  rowsBelievedOpen(): { signalId: string; symbol: string; timeframe: string; status: string }[];
  /** Journaled signals, newest first, optionally for one symbol and since a time (GET /signals). */
  recentSignals(query: { limit: number; symbol?: string; sinceMs?: number }): SignalRecord[];
  /** Filled orders whose signal carried a price: the raw material of slippage. */
  signalFills(sinceMs: number): { symbol: string; side: Side; signalPrice: number; fillPrice: number; qty: number; time: number }[];
}

/** One line of the Signals log, as the journal holds it; its cells are built from the signal's record. */
export interface SignalLogEntry {
  /** Order of arrival in the log; the tab shows entries by it. */
  seq: number;
  signalId: string;
  /** A repeat answered `duplicate`; `signalId` is then the original's. */
  duplicate: boolean;
  receivedAt: number;
  /** The webhook's answer, when somebody was waiting for one. */
  answerStatus?: string;
  latencyMs?: number;
  /** Counts changes not yet written to the tab; 0 once written. */
  dirty: number;
}

/** The durable log behind the Signals tab: one entry per authenticated alert, rewritten when it changes. */
export interface SignalLogStore {
  /** Creates the signal's entry (once) or marks it changed; an answer, when given, is kept on it. */
  noteSignal(signalId: string, receivedAt: number, answer?: { status: string; latencyMs: number }): void;
  /** Adds an entry for a repeat of `signalId` that was answered `duplicate`. */
  noteDuplicate(signalId: string, receivedAt: number, latencyMs?: number): void;
  /** Entries changed since they were last written, oldest first. */
  changedEntries(limit: number): SignalLogEntry[];
  /** Entries with `from <= seq <= to`, oldest first. */
  entriesBetween(from: number, to: number): SignalLogEntry[];
  /** The newest entry's seq; 0 when the log is empty. */
  lastSeq(): number;
  /** Marks entries written, unless they changed again since they were read. */
  markWritten(entries: Pick<SignalLogEntry, 'seq' | 'dirty'>[]): void;
}

/** How order updates reach the app: pushed by the broker's stream, or read by polling. */
export type OrderEventState = 'stream' | 'polling';

/** What an OrderEventSource calls; it never awaits them, and a throw is logged, not propagated. */
export interface OrderEventHandlers {
  /** An order changed: `order` as it is now, `event` the broker's word (`new`, `fill`, `partial_fill`, `canceled`, …); events can repeat, so apply them idempotently. */
  onOrder(order: Order, event: string): void;
  /**
   * The state changed. With 'stream', `since` is when events may first have been missed (the
   * stream last went down, or start-up, less a safety margin): the app catches up by reading the orders it follows.
   * With 'polling', `since` is when the stream went down (or start-up, when it never came up).
   */
  onState(state: OrderEventState, since: Date): void;
}

/** Where order events come from: the broker's push stream, or nothing (the app polls). */
export interface OrderEventSource {
  /** Starts delivering to `handlers`: 'stream' once subscribed, 'polling' when the stream is down or can't connect (reconnecting meanwhile). Once only. */
  start(handlers: OrderEventHandlers): void;
  /** Closes the connection; no more calls after it resolves. */
  stop(): Promise<void>;
  /** 'stream' while subscribed, else 'polling'. */
  readonly state: OrderEventState;
}
