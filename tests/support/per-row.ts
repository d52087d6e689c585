/**
 * POSITION_MODE=per-row as its component tests start and read it: rows of
 * AAPL at $100 a share, each row's book from the journal, and the check
 * that the broker's net is the rows' sum and no order crosses zero.
 */
import { startStack, type Stack, type StackOptions } from './stack';
import { standIn } from './stand-in';

/** The Config header of the per-row tests: the Position column shows each row's book. */
export const PER_ROW_HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Reason', 'Position'];
/** At $100 a share: 15 Min = 50 shares, 30 Min = 30 shares. */
export const PER_ROW_CONFIG = [
  PER_ROW_HEADER,
  ['AAPL', '$5,000', 'TRUE', '15 Min', '', '', ''],
  ['AAPL', '$3,000', 'TRUE', '30 Min', '', '', ''],
];

/** Starts a stack in per-row mode over `config` (default PER_ROW_CONFIG) with AAPL at $100; `env` adds to POSITION_MODE=per-row. */
export async function startPerRow(env: Record<string, string> = {}, options: StackOptions = {}): Promise<Stack> {
  const stack = await startStack({ config: PER_ROW_CONFIG, ...options, env: { POSITION_MODE: 'per-row', ...env, ...options.env } });
  stack.alpaca.setPrice('AAPL', 100);
  return stack;
}

/** Each row's book of `symbol` in the journal, by timeframe key ('15m': 50); `flat: false` leaves out the books at 0. */
export function rowBooks(stack: Stack, symbol = 'AAPL', { flat = true } = {}): Record<string, number> {
  const books = stack.server.ctx.journal.rowBooks(symbol).filter((b) => flat || b.qty !== 0);
  return Object.fromEntries(books.map((b) => [b.timeframe, b.qty]));
}

/** The sum of the rows' books of `symbol`. */
export function rowsNet(stack: Stack, symbol = 'AAPL'): number {
  return Object.values(rowBooks(stack, symbol)).reduce((a, b) => a + b, 0);
}

/** No order is unfinished and no signal is still working. */
export function settled(stack: Stack): boolean {
  return stack.server.ctx.journal.unfinishedOrders().length === 0 && stack.server.ctx.journal.workingSignals().length === 0;
}

/**
 * One per-row test's run over `stack`: alerts sent as steps, and the fake
 * Alpaca's orders replayed from flat in the order sent, so that each check
 * can expect that no filled order took the net across zero (an exit that
 * crosses must go in two legs).
 */
export class PerRowRun {
  private steps = 0;
  private replayed = 0;
  private net = 0;

  constructor(private readonly stack: Stack) {}

  /** Sends one AAPL alert and waits until the row shows `status` and `position` and every order has settled; then checks the invariants. */
  async step(body: Record<string, unknown>, tf: string, status: string, position: number): Promise<void> {
    // A distinct id per step: the same payload twice within DEDUPE_WINDOW_SECONDS would be a duplicate.
    const answer = await this.stack.signal({ symbol: 'AAPL', id: `step-${++this.steps}`, ...body });
    expect(answer.status).toBeLessThan(300);
    await this.stack.waitRow('AAPL', tf, { 'Order Status': status, Position: String(position) });
    await this.stack.until(() => this.stack.server.ctx.journal.unfinishedOrders().length === 0, 'orders settled');
    this.expectNoOrderCrossesZero();
    expect(this.stack.brokerQty('AAPL')).toBe(rowsNet(this.stack));
  }

  /**
   * Replays the orders sent since the last check, expecting none to cross zero (and with
   * `wholeShares`, every qty whole); answers the net.
   */
  expectNoOrderCrossesZero({ wholeShares = false } = {}): number {
    for (const o of this.stack.alpaca.orders.slice(this.replayed)) {
      if (wholeShares) expect(Number.isInteger(Number(o.qty))).toBe(true);
      if (o.status !== 'filled') continue;
      const after = this.net + Number(o.filled_qty) * (o.side === 'buy' ? 1 : -1);
      expect(Math.sign(this.net) * Math.sign(after)).not.toBe(-1);
      this.net = after;
    }
    this.replayed = this.stack.alpaca.orders.length;
    return this.net;
  }

  /** Sets AAPL's position at the fake to `qty`, as a trade outside the bot would, and replays on from there. */
  outside(qty: number): void {
    this.stack.alpaca.setPosition('AAPL', qty);
    this.net = qty;
  }
}

/** A per-row test file's set-up: the running test's stack and run, and the reads of AAPL's rows the tests share. */
export interface PerRowSuite {
  /** The running test's stack (a stand-in: named at the top of the file, it is the stack `start` made). */
  readonly stack: Stack;
  /** The running test's steps and replay. */
  readonly run: PerRowRun;
  /** Starts the test's stack with startPerRow(env, options) and a fresh run; it stops after the test. */
  start(env?: Record<string, string>, options?: StackOptions): Promise<Stack>;
  /** AAPL's Config row for the Time Frame label. */
  row(tf: string): Record<string, string>;
  /** AAPL's net position at the fake Alpaca. */
  brokerNet(): number;
  /** AAPL's row books, flat ones included. */
  books(): Record<string, number>;
}

/** Registers the afterEach that stops the test's stack, and answers the suite. */
export function perRowSuite(): PerRowSuite {
  let stack: Stack | undefined;
  let run: PerRowRun | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = run = undefined;
  });
  const current = standIn(() => stack, 'no per-row stack: the test has not called start()');
  return {
    stack: current,
    run: standIn(() => run, 'no per-row run: the test has not called start()'),
    async start(env = {}, options = {}) {
      stack = await startPerRow(env, options);
      run = new PerRowRun(stack);
      return stack;
    },
    row: (tf) => current.row('AAPL', tf),
    brokerNet: () => current.brokerQty('AAPL'),
    books: () => rowBooks(current),
  };
}
