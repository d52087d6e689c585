/**
 * The order life cycle under random commands, for the lifecycle property:
 * alerts, price moves, the market closing and opening, queued orders filled
 * at once, a refusal of the next order, duplicate stream events, the stream
 * going down and up, restarts and POST /flatten + /resume, each applied over
 * HTTP (or to the fake Alpaca) against the real server. `finish` brings the
 * run to rest and `checkInvariants` reads what the broker and the journal
 * hold then.
 */
import fc from 'fast-check';
import { API_TOKEN, startStack, type Stack } from './stack';

export const SYMBOL = 'AAPL';
export type Mode = 'shared' | 'per-row';

/** A row as an alert names it (`timeframe`) and as its Config row says. */
export interface RowSpec {
  /** As an alert sends it ("60"). */
  timeframe: string;
  /** The journal's key for it ("60m"). */
  key: string;
  label: string;
  positionSize: string;
  stopLossPct?: string;
  takeProfitPct?: string;
}

/** What the generated sequence is made of. */
export type Command =
  | { kind: 'alert'; row: number; action: 'BUY' | 'SELL' | 'CLOSE'; strategy?: { market_position: 'long' | 'short' | 'flat'; market_position_size: number; prev_market_position_size: number }; wait: boolean }
  /** The price moves by `pct` percent (kept within 60..160): a stop or target may fill. */
  | { kind: 'price'; pct: number }
  | { kind: 'market'; open: boolean }
  | { kind: 'fill' }
  /** Part of the oldest working market order fills now (half, rounded down, at least one share). */
  | { kind: 'partial' }
  | { kind: 'delay'; ms: number }
  | { kind: 'reject' }
  /** Alpaca refuses the next market order at once (403 insufficient buying power), as it refuses an order it can't take. */
  | { kind: 'refuse' }
  /** From now on a cancel loses its race with the fill (or, off, lands as usual). */
  | { kind: 'race'; on: boolean }
  | { kind: 'duplicates'; on: boolean }
  | { kind: 'stream'; up: boolean }
  | { kind: 'restart' }
  | { kind: 'flatten' };

/** The commands of a run, for rows `0 .. rows-1`. */
export function commandArb(rows: number): fc.Arbitrary<Command> {
  const alert = fc.record({
    kind: fc.constant('alert' as const),
    row: fc.integer({ min: 0, max: rows - 1 }),
    action: fc.constantFrom('BUY' as const, 'SELL' as const, 'CLOSE' as const),
    strategy: fc.option(fc.record({
      market_position: fc.constantFrom('long' as const, 'short' as const, 'flat' as const),
      market_position_size: fc.integer({ min: 1, max: 4 }),
      prev_market_position_size: fc.integer({ min: 1, max: 4 }),
    }), { nil: undefined, freq: 3 }),
    // Mostly one at a time; sometimes the next command comes while this one's trade is still under way.
    wait: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  });
  return fc.oneof(
    { weight: 14, arbitrary: alert },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('price' as const), pct: fc.constantFrom(-4, -2.5, -1, 1, 2.5, 4) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('market' as const), open: fc.boolean() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'fill' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'partial' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delay' as const), ms: fc.constantFrom(0, 300, 1500) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'reject' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'refuse' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('race' as const), on: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicates' as const), on: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('stream' as const), up: fc.boolean() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'flatten' as const }) },
  );
}

/** Where a row (or, shared, the symbol) was last told to go, and the fake's order count then. */
interface Intent {
  target: 'flat' | 'long' | 'short';
  /** The fake's order count, and the command's number, when it was sent. */
  since: number;
  step: number;
  by: string;
}

/** One run: a fresh stack and what the test knows of the commands applied to it. */
export class LifecycleRun {
  private n = 0;
  /** Rejections armed with `rejectNext` and not yet taken by an order, and the order count last seen. */
  private armed = 0;
  private seenOrders = 0;
  /** Indices (in `alpaca.orders`, OCO legs left out) of the orders a `rejectNext` picked. */
  readonly rejected = new Set<number>();
  /** Refusals armed with `refuse` (each an injected 403 for the next market order), and the commands during which one was taken. */
  private refusals: { hits: number; remove(): void }[] = [];
  private refusalsTaken = 0;
  private readonly refusedAt: number[] = [];
  private step = 0;
  /** Per row (per-row mode) or at index 0 (shared): the last alert or flatten that said where to go. */
  readonly intents = new Map<number, Intent>();
  readonly applied: string[] = [];
  private marketOpen = true;
  private price: number;
  private sentWhileClosed = 0;
  private partials = 0;
  readonly answers: Record<string, number> = {};

  private constructor(readonly stack: Stack, readonly mode: Mode, readonly rows: RowSpec[], price: number) {
    this.price = price;
  }

  static async start(mode: Mode, rows: RowSpec[], price: number): Promise<LifecycleRun> {
    const header = ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'take_profit_pct', 'Order Status', 'Reason', 'Position'];
    const config = [header, ...rows.map((r) => [SYMBOL, r.positionSize, 'TRUE', r.label, r.stopLossPct ?? '', r.takeProfitPct ?? '', '', '', ''])];
    const stack = await startStack({
      config,
      env: { POSITION_MODE: mode, OFF_HOURS_POLICY: 'queue', FLIP_FILL_TIMEOUT_SECONDS: '1', SHUTDOWN_TIMEOUT_SECONDS: '5' },
    });
    stack.alpaca.setRateLimit(false);
    stack.alpaca.setPrice(SYMBOL, price);
    const run = new LifecycleRun(stack, mode, rows, price);
    await run.waitStream();
    return run;
  }

  /** The fake's orders that were accepted as orders (an OCO's stop leg is part of its parent). */
  accepted() {
    return this.stack.alpaca.orders.filter((o) => !isOcoLeg(o));
  }

  /** Notes which orders took the armed rejections since the last look (the fake hands them out in order). */
  private observeRejections(): void {
    const count = this.accepted().length;
    for (let i = this.seenOrders; i < count && this.armed > 0; i++, this.armed--) this.rejected.add(i);
    this.seenOrders = count;
  }

  /** Notes the command during which an armed refusal was taken. */
  private observeRefusals(): void {
    const taken = this.refusals.reduce((sum, f) => sum + f.hits, 0);
    for (; this.refusalsTaken < taken; this.refusalsTaken++) this.refusedAt.push(this.step);
  }

  /**
   * True when the broker refused or rejected something of the bot's since the
   * intent was sent (an order accepted from then on that a `rejectNext`
   * picked, or a refusal taken during that command or later), or one is still armed.
   */
  rejectionSince(intent: Pick<Intent, 'since' | 'step'>): boolean {
    this.observeRejections();
    this.observeRefusals();
    const refusalsLeft = this.refusals.length - this.refusalsTaken;
    return this.armed > 0 || refusalsLeft > 0 || [...this.rejected].some((i) => i >= intent.since) || this.refusedAt.some((s) => s >= intent.step);
  }

  /** Waits until no symbol has work queued or running (with a grace read for events still on their way). */
  async quiet(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let calm = 0;
    while (calm < 3) {
      if (Date.now() > deadline) throw new Error(`the server never went quiet after: ${this.applied.join(', ')}`);
      await sleep(20);
      calm = this.stack.server.ctx.locks.busy === 0 ? calm + 1 : 0;
    }
  }

  readonly timing: Record<string, number> = {};

  async apply(c: Command): Promise<void> {
    const t0 = Date.now();
    this.observeRefusals();
    this.step++;
    try {
      await this.applyNow(c);
    } finally {
      this.observeRefusals();
      this.timing[`ms ${c.kind}`] = (this.timing[`ms ${c.kind}`] ?? 0) + Date.now() - t0;
    }
  }

  private async applyNow(c: Command): Promise<void> {
    const { stack } = this;
    const a = stack.alpaca;
    this.applied.push(describe(c));
    switch (c.kind) {
      case 'alert': {
        const row = this.rows[c.row];
        if (!this.marketOpen) this.sentWhileClosed++;
        const since = this.accepted().length;
        const res = await stack.signal({ symbol: SYMBOL, timeframe: row.timeframe, action: c.action, id: `L${++this.n}`, ...(c.strategy ?? {}) });
        const answer = `${res.status} ${res.body?.status ?? res.body?.error}`;
        this.answers[answer] = (this.answers[answer] ?? 0) + 1;
        if (res.status === 200 && typeof res.body?.signal_id === 'string') {
          const target = c.strategy ? (c.strategy.market_position) : c.action === 'CLOSE' ? 'flat' : c.action === 'BUY' ? 'long' : 'short';
          this.intents.set(this.mode === 'shared' ? 0 : c.row, { target, since, step: this.step, by: `alert L${this.n}` });
        }
        if (c.wait) await this.quiet();
        return;
      }
      case 'price':
        this.price = Math.min(160, Math.max(60, Math.round(this.price * (1 + c.pct / 100) * 100) / 100));
        a.setPrice(SYMBOL, this.price);
        return this.quiet();
      case 'market':
        if (c.open) a.openMarket();
        else a.closeMarket();
        this.marketOpen = c.open;
        return this.quiet();
      case 'fill':
        a.fillOpenOrders();
        return this.quiet();
      case 'partial': {
        const working = a.orders.find((o) => isOpen(o) && !isResting(o) && o.qty && o.status !== 'pending_cancel');
        const left = working ? Number(working.qty) - Number(working.filled_qty) : 0;
        if (working && left >= 2) {
          a.partialFill(String(working.id), Math.floor(left / 2));
          this.partials++;
        }
        return this.quiet();
      }
      case 'delay':
        return a.setFillDelay(c.ms);
      case 'reject':
        this.observeRejections();
        this.armed++;
        return a.rejectNext(1);
      case 'refuse':
        this.refusals.push(a.inject({
          method: 'POST', path: /^\/v2\/orders$/, status: 403, times: 1,
          body: { code: 40310000, message: 'insufficient buying power' },
          when: (body: any) => body?.type === 'market',
        }));
        return;
      case 'race':
        return a.setCancelLosesRace(c.on);
      case 'duplicates':
        return a.setStreamDuplicates(c.on);
      case 'stream':
        a.setStreamAvailable(c.up);
        if (!c.up) a.dropStreamConnections();
        return;
      case 'restart':
        await stack.restart();
        return this.quiet();
      case 'flatten': {
        const since = this.accepted().length;
        const flatten = await this.control('/flatten');
        if (![200, 502].includes(flatten.status)) throw new Error(`POST /flatten answered ${flatten.status}: ${JSON.stringify(flatten.body)}`);
        for (let r = 0; r < (this.mode === 'shared' ? 1 : this.rows.length); r++) this.intents.set(r, { target: 'flat', since, step: this.step, by: 'flatten' });
        const resume = await this.control('/resume');
        if (resume.status !== 200) throw new Error(`POST /resume answered ${resume.status}`);
        return this.quiet();
      }
    }
  }

  /** Takes back the rejections no order took, and puts the stream and fills back to normal. */
  disarm(): void {
    this.observeRejections();
    this.observeRefusals();
    this.step++;
    for (const f of this.refusals) f.remove();
    this.refusals = this.refusals.filter((f) => f.hits > 0);
    if (this.armed > 0) this.stack.alpaca.rejectNext(-this.armed);
    this.armed = 0;
    const a = this.stack.alpaca;
    a.setStreamDuplicates(false);
    a.setCancelLosesRace(false);
    a.setFillDelay(0);
    a.setStreamAvailable(true);
  }

  /** Opens the market, fills what is queued, and waits until nothing of the bot's but resting exits is unfinished. */
  async settle(timeoutMs = 45_000): Promise<void> {
    const { stack } = this;
    stack.alpaca.openMarket();
    await this.waitStream(timeoutMs);
    const journal = () => stack.server.ctx.journal;
    const busy = () => {
      const unfinished = journal().unfinishedOrders().filter((o) => o.role !== 'protective').map((o) => `${o.clientOrderId} ${o.state}`);
      const working = journal().workingSignals().map((s) => `signal ${s.id} ${s.signal.action}`);
      const unsettled = journal().unsettledOrders().map((o) => `unsettled ${o.clientOrderId}`);
      return [...unfinished, ...working, ...unsettled];
    };
    let left: string[] = [];
    await stack.until(async () => {
      stack.alpaca.fillOpenOrders();
      left = busy();
      return left.length === 0 && stack.server.ctx.locks.busy === 0;
    }, `everything to settle (left: ${left.join('; ')}) after: ${this.applied.join(', ')}`, timeoutMs).catch((err: Error) => {
      throw new Error(`${err.message}; still: ${busy().join('; ')}`);
    });
    await this.quiet();
  }

  /** Waits until the server follows orders by the stream again (its catch-up reads whatever changed meanwhile). */
  async waitStream(timeoutMs = 45_000): Promise<void> {
    await this.stack.until(() => this.stack.server.ctx.orders.events === 'stream', 'order events from the stream', timeoutMs);
  }

  /** POSTs to a control endpoint with the API token. */
  async control(path: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.stack.server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  }

  /** What the run exercised, to see that the generated sequences reach the interesting paths. */
  coverage(): Record<string, number> {
    const orders = this.stack.alpaca.orders.filter((o) => !isOcoLeg(o));
    const logged = (event: string) => this.stack.logs.filter((l) => l.includes(`"event":"${event}"`)).length;
    return {
      orders: orders.filter((o) => !isResting(o)).length,
      filled: orders.filter((o) => !isResting(o) && o.status === 'filled').length,
      rejected: orders.filter((o) => o.status === 'rejected').length,
      refused: this.refusalsTaken,
      protective: orders.filter(isResting).length,
      protective_filled: this.stack.alpaca.orders.filter((o) => isResting(o) && o.status === 'filled').length,
      alerts_while_closed: this.sentWhileClosed,
      partial_fills: this.partials,
      filled_late: orders.filter((o) => !isResting(o) && o.status === 'filled' && Date.parse(String(o.filled_at)) - Date.parse(String(o.submitted_at)) > 1000).length,
      restarts: logged('server.started') - 1,
      flattens: logged('flatten.done'),
      polling: logged('order_events.polling'),
      netted: logged('rows.netted'),
      deferred: logged('rows.deferred'),
      resent: logged('rows.resent'),
      unprotected: logged('protection.failed'),
      ...this.timing,
      ...Object.fromEntries(Object.entries(this.answers).map(([k, v]) => [`answer ${k}`, v])),
    };
  }

  async stop(): Promise<void> {
    await this.stack.stop();
  }
}

/** An OCO pair's stop leg, which Alpaca lists on its own with a client order id it chose. */
export function isOcoLeg(o: Record<string, unknown>): boolean {
  return o.order_class === 'oco' && o.type === 'stop' && !String(o.client_order_id).startsWith('tb-');
}

const OPEN = new Set(['new', 'accepted', 'pending_new', 'partially_filled', 'held', 'accepted_for_bidding', 'pending_cancel']);
export const isOpen = (o: Record<string, unknown>) => OPEN.has(String(o.status));
export const isResting = (o: Record<string, unknown>) => ['stop', 'limit', 'trailing_stop'].includes(String(o.type)) || o.order_class === 'oco';

export function describe(c: Command): string {
  switch (c.kind) {
    case 'alert': {
      const s = c.strategy ? ` mp=${c.strategy.market_position} ${c.strategy.prev_market_position_size}->${c.strategy.market_position_size}` : '';
      return `alert(row ${c.row} ${c.action}${s}${c.wait ? '' : ' nowait'})`;
    }
    case 'price': return `price(${c.pct > 0 ? '+' : ''}${c.pct}%)`;
    case 'race': return `cancel loses race(${c.on})`;
    case 'market': return c.open ? 'open' : 'close';
    case 'delay': return `delay(${c.ms})`;
    case 'duplicates': return `dups(${c.on})`;
    case 'stream': return c.up ? 'stream up' : 'stream down';
    default: return c.kind;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
