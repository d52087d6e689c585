/**
 * Where every order event meets, whatever its source: Alpaca's trade_updates
 * stream, a poll, reconcile, or the look-ups at start-up. Each event is
 * journaled (never taking an order back from its end), wakes whoever waits for
 * that order, and, once the order has ended, has its meaning applied under the
 * symbol's lock, once however often the event comes.
 */
import { describeError, TemporaryError } from '../../domain/errors';
import type { Order } from '../../domain/types';
import type { Broker, Clock, Logger, OrderJournal, OrderRecord } from '../../ports';
import { orAfter } from '../../shared/clock';
import { exponentialBackoff, pollUntil } from '../../shared/retry';
import type { SymbolLocks } from './symbol-locks';

/** How order events reach the bot now: pushed by the broker's stream, or read by polling. */
export type OrderEventMode = 'stream' | 'polling';

/** What the reactor needs. */
export interface ReactorDeps {
  broker: Broker;
  journal: OrderJournal;
  clock: Clock;
  logger: Logger;
  locks: SymbolLocks;
}

/**
 * Applies an ended order's meaning (the caller holds its symbol's lock);
 * resolves when that is done. `checkProtection` false skips the protection
 * check that ends it, for a settle made in the middle of planning a trade.
 */
export type Settle = (record: OrderRecord, order: Order, checkProtection: boolean) => Promise<void>;

/** Ends a working order whose journaled timeout came (cancels it); resolves once the broker said how it ended. */
export type Expire = (clientOrderId: string) => Promise<void>;

/** Market orders usually fill within tens of ms: poll soon, then back off. */
const FIRST_POLL_MS = 25;
/** Background polls of an order that outlived its signal, while the stream is down. */
const BACKGROUND_POLL_MS = 15_000;
/** A resting protective exit may wait for months: polled gently. */
const RESTING_POLL_MS = 30_000;

/** One source of truth for order state in this process; see the file comment. */
export class OrderReactor {
  private mode: OrderEventMode = 'polling';
  private readonly waiters = new Map<string, Set<(order: Order) => void>>();
  /** The newest state seen of each order still of interest, by client order id. */
  private readonly seen = new Map<string, Order>();
  private readonly polled = new Set<string>();
  private settle?: Settle;
  private expire?: Expire;
  /** The timers of the working orders whose timeout is armed, by client order id. */
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: ReactorDeps) {}

  /** Sets what applies an ended order's meaning; wired once, at start-up. */
  onSettle(settle: Settle): void {
    this.settle = settle;
  }

  /** Sets what ends a working order at its timeout; wired once, at start-up. */
  onExpire(expire: Expire): void {
    this.expire = expire;
  }

  /**
   * Arms the timeout journaled with the order (`meaning.timeout`), once: at its deadline, if it is still
   * working, it goes to `expire`. Every event of a working order arms it, so a restart (whose look-ups
   * come here) arms it again, and a deadline already past expires it at once.
   */
  watchTimeout(clientOrderId: string): void {
    const record = this.deps.journal.getOrder(clientOrderId);
    const deadline = record?.meaning.timeout?.deadline;
    if (!deadline || this.stopped || this.deadlines.has(clientOrderId)) return;
    if (record!.state === 'filled' || record!.state === 'failed') return;
    const wait = Math.max(0, Date.parse(deadline) - this.deps.clock.now().getTime());
    const timer = setTimeout(() => {
      this.deadlines.delete(clientOrderId);
      void this.expire?.(clientOrderId).catch((err) =>
        this.deps.logger.error('order.timeout_failed', { client_order_id: clientOrderId, error: describeError(err) }),
      );
    }, wait);
    timer.unref();
    this.deadlines.set(clientOrderId, timer);
  }

  /** 'stream' while the broker pushes order events, else 'polling'. */
  get events(): OrderEventMode {
    return this.mode;
  }

  /** The event source says how events come now; going to polling starts polling every unfinished order. */
  setMode(mode: OrderEventMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.deps.logger.info(`order_events.${mode}`, {});
    if (mode === 'polling') for (const record of this.deps.journal.unfinishedOrders()) this.follow(record);
  }

  /**
   * An order's state from any source. It is journaled; waiters are woken; an
   * ended order of the bot's has its meaning applied under its symbol's lock.
   * Orders the bot never journaled (placed by hand, an OCO's leg) are ignored.
   */
  onOrder(order: Order): void {
    if (this.stopped) return;
    const record = this.deps.journal.updateOrder(order.clientOrderId, order);
    if (!record) return;
    this.seen.set(order.clientOrderId, order);
    if (order.state === 'open' || record.state === 'open' || record.state === 'pending') return this.watchTimeout(record.clientOrderId);
    clearTimeout(this.deadlines.get(order.clientOrderId));
    this.deadlines.delete(order.clientOrderId);
    const final = record.state === order.state ? order : { ...order, state: record.state };
    for (const wake of this.waiters.get(order.clientOrderId) ?? []) wake(final);
    if (record.settledAt === undefined) void this.settleLater(record.clientOrderId);
  }

  /** Applies the ended order's meaning in its symbol's turn, unless that happened already. */
  settleLater(clientOrderId: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const record = this.deps.journal.getOrder(clientOrderId);
    if (!record) return Promise.resolve();
    return this.deps.locks
      .run(record.symbol, () => this.settleNow(clientOrderId))
      .catch((err) => this.deps.logger.error('order.settle_failed', { client_order_id: clientOrderId, error: describeError(err) }));
  }

  /**
   * Applies the ended order's meaning now (the caller holds its symbol's
   * lock); nothing when applied before or not ended. In the middle of
   * planning a trade, `checkProtection` false leaves protection to the trade.
   */
  async settleNow(clientOrderId: string, checkProtection = true): Promise<void> {
    if (this.stopped) return; // after shutdown the journal is closed: the next start picks it up
    const record = this.deps.journal.getOrder(clientOrderId);
    if (!record || record.settledAt !== undefined || (record.state !== 'filled' && record.state !== 'failed')) return;
    const order = this.seen.get(clientOrderId) ?? orderOf(record);
    await this.settle?.(record, order.state === 'open' ? orderOf(record) : order, checkProtection);
    this.deps.journal.markSettled(clientOrderId);
    this.seen.delete(clientOrderId);
  }

  /**
   * Waits until the order ends or `timeoutMs` passes; returns the last state
   * seen (which may still be open). With the stream up the event is awaited
   * and the broker asked once at the end; otherwise the order is polled.
   */
  async awaitFinal(order: Order, timeoutMs: number, maxPauseMs = 2000): Promise<Order> {
    const known = this.known(order);
    if (known.state !== 'open') return known;
    if (this.mode === 'stream') {
      const pushed = await orAfter(this.nextFinal(order.clientOrderId), timeoutMs, () => undefined);
      if (pushed) return pushed;
      return this.read(this.known(order));
    }
    return pollUntil(
      this.deps.clock,
      known,
      (last) => this.read(last),
      (o) => o.state !== 'open',
      {
        deadline: this.deps.clock.now().getTime() + timeoutMs,
        pauseMs: exponentialBackoff(FIRST_POLL_MS, Math.max(FIRST_POLL_MS, maxPauseMs)),
        stopped: () => this.stopped || this.known(order).state !== 'open',
      },
    ).then((last) => this.known(last));
  }

  /**
   * Keeps an order followed until it ends, however long that takes: the stream
   * delivers its end; while the stream is down it is polled (gently for a
   * resting exit). Its meaning is applied by `onOrder` when it ends.
   */
  follow(order: Pick<Order, 'clientOrderId'>): void {
    if (this.mode === 'stream' || this.polled.has(order.clientOrderId) || this.stopped) return;
    const record = this.deps.journal.getOrder(order.clientOrderId);
    if (!record || record.state === 'filled' || record.state === 'failed') return;
    this.polled.add(order.clientOrderId);
    const pace = record.role === 'protective' ? RESTING_POLL_MS : BACKGROUND_POLL_MS;
    void this.pollInBackground(record, pace).finally(() => this.polled.delete(order.clientOrderId));
  }

  /** Reads every order the journal holds unfinished (after a reconnect or at start-up) and feeds what the broker says. */
  async catchUp(): Promise<number> {
    const unfinished = this.deps.journal.unfinishedOrders().filter((r) => r.brokerId);
    for (const record of unfinished) {
      try {
        this.onOrder(await this.deps.broker.getOrder(record.brokerId!));
      } catch (err) {
        this.deps.logger.warn('order_events.catch_up_failed', { client_order_id: record.clientOrderId, error: describeError(err) });
      }
    }
    return unfinished.length;
  }

  /** Stops polling and ignores later events (shutdown); unfinished orders are picked up at the next start. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
  }

  /** True while `clientOrderId` is polled in the background. */
  isPolling(clientOrderId: string): boolean {
    return this.polled.has(clientOrderId);
  }

  private async pollInBackground(record: OrderRecord, pace: number): Promise<void> {
    let last = this.seen.get(record.clientOrderId) ?? orderOf(record);
    let firstPause = FIRST_POLL_MS;
    while (!this.stopped && this.mode === 'polling' && last.state === 'open') {
      last = await pollUntil(
        this.deps.clock,
        last,
        (l) => this.read(l),
        (o) => o.state !== 'open',
        {
          deadline: this.deps.clock.now().getTime() + Math.max(30_000, pace * 2),
          pauseMs: exponentialBackoff(firstPause, pace),
          stopped: () => this.stopped || this.mode !== 'polling' || this.known(last).state !== 'open',
        },
      );
      last = this.known(last);
      firstPause = pace;
    }
  }

  /** One read of the order at the broker, fed to `onOrder`; a temporary failure keeps the last state. */
  private async read(last: Order): Promise<Order> {
    try {
      const current = last.id ? await this.deps.broker.getOrder(last.id) : await this.deps.broker.findOrderByClientId(last.clientOrderId);
      if (!current) return last;
      this.onOrder(current);
      return this.known(current);
    } catch (err) {
      if (!(err instanceof TemporaryError)) throw err;
      return last;
    }
  }

  /** The newest state known of the order: what an event brought, or the journal's end. */
  private known(order: Order): Order {
    const seen = this.seen.get(order.clientOrderId) ?? order;
    if (this.stopped) return seen; // the journal may be closed already
    const record = this.deps.journal.getOrder(order.clientOrderId);
    if (record && (record.state === 'filled' || record.state === 'failed') && seen.state === 'open') return orderOf(record, seen);
    return seen;
  }

  private nextFinal(clientOrderId: string): Promise<Order> {
    return new Promise((resolve) => {
      const set = this.waiters.get(clientOrderId) ?? new Set();
      const wake = (o: Order) => {
        set.delete(wake);
        if (set.size === 0) this.waiters.delete(clientOrderId);
        resolve(o);
      };
      set.add(wake);
      this.waiters.set(clientOrderId, set);
    });
  }
}

/** The order as the journal last recorded it, over what the broker last said of it. */
export function orderOf(record: OrderRecord, base?: Partial<Order>): Order {
  return {
    ...base,
    id: record.brokerId ?? base?.id ?? '',
    clientOrderId: record.clientOrderId,
    symbol: record.symbol,
    side: record.side,
    qty: record.qty ?? base?.qty,
    notional: record.notional ?? base?.notional,
    status: record.brokerStatus ?? record.state,
    state: record.state === 'filled' ? 'filled' : record.state === 'failed' ? 'failed' : 'open',
    filledQty: record.filledQty ?? 0,
    filledAvgPrice: record.filledAvgPrice,
    reason: record.reason,
  };
}
