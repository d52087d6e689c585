/**
 * The set-up of the protective-exit tests: a Config with the protection
 * columns (stop_loss_pct, take_profit_pct, trail_pct) and one AAPL 15 Min
 * row of $5,000, and a suite whose stack each test starts and which stops
 * after it, with the reads of that row the tests share.
 */
import { standIn } from './stand-in';
import { startStack, type Stack, type StackOptions } from './stack';

/** The Config header with every protection column, then Order Status and Reason. */
export const PROTECTION_HEADER = [
  'symbol',
  'position_size',
  'active',
  'Time Frame',
  'stop_loss_pct',
  'take_profit_pct',
  'trail_pct',
  'Order Status',
  'Reason',
];

/** The header and one active AAPL 15 Min row of $5,000 with the stop, target and trail cells given ('' for none). */
export const protectionConfig = (sl: string, tp: string, trail: string) => [
  PROTECTION_HEADER,
  ['AAPL', '5000', 'TRUE', '15 Min', sl, tp, trail, '', ''],
];

/** A protective-exit test file's set-up: the running test's stack and the reads of AAPL's 15 Min row. */
export interface ProtectionSuite {
  /** The running test's stack (a stand-in: named at the top of the file, it is the stack `start` made). */
  readonly stack: Stack;
  /** Starts the test's stack with startStack(options); it stops after the test. */
  start(options: StackOptions): Promise<Stack>;
  /** Waits until the row's Order Status is `status` (and its Reason `reason`, when given). */
  waitStatus(status: string, reason?: string): Promise<void>;
  /** The orders resting at the fake Alpaca. */
  resting(): Record<string, unknown>[];
}

/** Registers the afterEach that stops the test's stack, and answers the suite. */
export function protectionSuite(): ProtectionSuite {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  const current = standIn(() => stack, 'no protection stack: the test has not called start()');
  return {
    stack: current,
    start: async (options) => (stack = await startStack(options)),
    waitStatus: (status, reason) => current.waitRow('AAPL', '15 Min', { 'Order Status': status, Reason: reason }),
    resting: () => current.restingOrders(),
  };
}
