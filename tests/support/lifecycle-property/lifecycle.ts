/**
 * One run of the lifecycle property: a fresh stack (the real server and the
 * fakes), the commands applied to it over HTTP or to the fake Alpaca, and
 * what the test knows of them (the last word per row, and in
 * lifecycle-refusals.ts the refusals it armed) for the checks in
 * lifecycle-invariants.ts. `disarm` and `settle` bring the run to rest.
 */
import { API_TOKEN, startStack, type Stack } from '../stack';
import { PROTECTION_HEADER } from '../protection-stack';
import { type Command, describeCommand, LIMIT_TIMEOUT_MS, type Mode, type RowSpec, SYMBOL } from './lifecycle-commands';
import { runCoverage } from './lifecycle-coverage';
import { isOcoLeg, isOpen, isResting } from './lifecycle-orders';
import { BrokerRefusals, type SentAt } from './lifecycle-refusals';

/** Where a row (or, shared, the symbol) was last told to go, and the fake's order count then. */
interface Intent extends SentAt {
  target: 'flat' | 'long' | 'short';
  by: string;
  /** The alert's signal id (none for /flatten). */
  signalId?: string;
  /** When it was sent (ms): what the broker or the server did from then on may excuse it. */
  at: number;
}

/** One run: a fresh stack and what the test knows of the commands applied to it. */
export class LifecycleRun {
  private n = 0;
  /** The rejections and refusals armed at the fake, and which orders and commands took them. */
  private readonly refusals: BrokerRefusals;
  private step = 0;
  /** Per row (per-row mode) or at index 0 (shared): the last alert or flatten that said where to go. */
  readonly intents = new Map<number, Intent>();
  /** Per row: the signal id of its last alert the server took. */
  readonly lastSignal = new Map<number, string>();
  readonly applied: string[] = [];
  private marketOpen = true;
  private price: number;
  private sentWhileClosed = 0;
  private partials = 0;
  readonly answers: Record<string, number> = {};

  private constructor(
    readonly stack: Stack,
    readonly mode: Mode,
    readonly rows: RowSpec[],
    price: number,
  ) {
    this.price = price;
    this.refusals = new BrokerRefusals(
      stack.alpaca,
      () => this.accepted().length,
      () => this.step,
    );
  }

  /** Indices (in `alpaca.orders`, OCO legs left out) of the orders a `rejectNext` picked. */
  get rejected(): Set<number> {
    return this.refusals.rejected;
  }

  static async start(mode: Mode, rows: RowSpec[], price: number): Promise<LifecycleRun> {
    const header = [...PROTECTION_HEADER.filter((h) => h !== 'trail_pct'), 'order_type', 'Position'];
    const config = [
      header,
      ...rows.map((r) => [
        SYMBOL,
        r.positionSize,
        'TRUE',
        r.label,
        r.stopLossPct ?? '',
        r.takeProfitPct ?? '',
        '',
        '',
        r.limit ? 'limit' : '',
        '',
      ]),
    ];
    const stack = await startStack({
      config,
      env: {
        POSITION_MODE: mode,
        OFF_HOURS_POLICY: 'queue',
        FLIP_FILL_TIMEOUT_SECONDS: '1',
        SHUTDOWN_TIMEOUT_SECONDS: '5',
        LIMIT_TIMEOUT_SECONDS: String(LIMIT_TIMEOUT_MS / 1000),
      },
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

  /**
   * True when the broker refused or rejected something of the bot's since the
   * intent was sent, or one is still armed (see BrokerRefusals.since).
   */
  rejectionSince(intent: SentAt): boolean {
    return this.refusals.since(intent);
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

  async apply(c: Command): Promise<void> {
    this.refusals.observeRefusals();
    this.step++;
    try {
      await this.applyNow(c);
    } finally {
      this.refusals.observeRefusals();
    }
  }

  private async applyNow(c: Command): Promise<void> {
    const { stack } = this;
    const a = stack.alpaca;
    this.applied.push(describeCommand(c));
    switch (c.kind) {
      case 'alert': {
        const row = this.rows[c.row];
        if (!this.marketOpen) this.sentWhileClosed++;
        const since = this.accepted().length;
        const at = Date.now();
        const res = await stack.signal({
          symbol: SYMBOL,
          timeframe: row.timeframe,
          action: c.action,
          id: `L${++this.n}`,
          ...(c.strategy ?? {}),
        });
        const answer = `${res.status} ${res.body?.status ?? res.body?.error}`;
        this.answers[answer] = (this.answers[answer] ?? 0) + 1;
        if (res.status === 200 && typeof res.body?.signal_id === 'string') {
          const target = c.strategy ? c.strategy.market_position : c.action === 'CLOSE' ? 'flat' : c.action === 'BUY' ? 'long' : 'short';
          const signalId = res.body.signal_id as string;
          this.intents.set(this.mode === 'shared' ? 0 : c.row, { target, since, step: this.step, by: `alert L${this.n}`, signalId, at });
          this.lastSignal.set(c.row, signalId);
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
        return this.refusals.reject();
      case 'refuse':
        return this.refusals.refuse();
      case 'race':
        return a.setCancelLosesRace(c.on);
      case 'duplicates':
        return a.setStreamDuplicates(c.on);
      case 'stream':
        a.setStreamAvailable(c.up);
        if (!c.up) a.dropStreamConnections();
        return;
      case 'limits':
        return a.setLimitsWait(c.wait);
      case 'timeout':
        await sleep(c.ms);
        if (c.fill) a.fillOpenOrders();
        return this.quiet();
      case 'restart':
        await stack.restart();
        return this.quiet();
      case 'flatten': {
        const since = this.accepted().length;
        const flatten = await this.control('/flatten');
        if (![200, 202, 502].includes(flatten.status))
          throw new Error(`POST /flatten answered ${flatten.status}: ${JSON.stringify(flatten.body)}`);
        for (let r = 0; r < (this.mode === 'shared' ? 1 : this.rows.length); r++)
          this.intents.set(r, { target: 'flat', since, step: this.step, by: 'flatten', at: Date.now() });
        const resume = await this.control('/resume');
        if (resume.status !== 200) throw new Error(`POST /resume answered ${resume.status}`);
        return this.quiet();
      }
    }
  }

  /** Takes back the rejections no order took, and puts the stream and fills back to normal. */
  disarm(): void {
    this.refusals.observeRejections();
    this.refusals.observeRefusals();
    this.step++;
    this.refusals.disarm();
    const a = this.stack.alpaca;
    a.setStreamDuplicates(false);
    a.setCancelLosesRace(false);
    a.setFillDelay(0);
    a.setStreamAvailable(true);
    a.setLimitsWait(false);
  }

  /** Opens the market, fills what is queued, and waits until nothing of the bot's but resting exits is unfinished. */
  async settle(timeoutMs = 45_000): Promise<void> {
    const { stack } = this;
    stack.alpaca.openMarket();
    await this.waitStream(timeoutMs);
    const journal = () => stack.server.ctx.journal;
    const busy = () => {
      const unfinished = journal()
        .unfinishedOrders()
        .filter((o) => o.role !== 'protective')
        .map((o) => `${o.clientOrderId} ${o.state}`);
      const working = journal()
        .workingSignals()
        .map((s) => `signal ${s.id} ${s.signal.action}`);
      const unsettled = journal()
        .unsettledOrders()
        .map((o) => `unsettled ${o.clientOrderId}`);
      return [...unfinished, ...working, ...unsettled];
    };
    let left: string[] = [];
    await stack
      .until(
        async () => {
          stack.alpaca.fillOpenOrders();
          left = busy();
          return left.length === 0 && stack.server.ctx.locks.busy === 0;
        },
        `everything to settle (left: ${left.join('; ')}) after: ${this.applied.join(', ')}`,
        timeoutMs,
      )
      .catch((err: Error) => {
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

  /** What the run exercised, to see that the generated sequences reach the interesting paths (lifecycle-coverage.ts). */
  coverage(): Record<string, number> {
    return runCoverage(
      this.stack,
      { refused: this.refusals.taken, whileClosed: this.sentWhileClosed, partials: this.partials },
      this.answers,
    );
  }

  async stop(): Promise<void> {
    await this.stack.stop();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
