/**
 * The order life cycle, property-based over the real server and the fakes:
 * random sequences of alerts, price moves (which may fill a stop), the
 * market closing and opening (orders queue, and fill late), queued orders
 * filled at once, a refusal of the next order, duplicate stream events, the
 * stream going down and up, restarts, and POST /flatten + /resume, in both
 * position modes. After each sequence, with the market open and everything
 * settled, and again after reconcile: per-row, the broker's net equals the
 * rows' books; shared, a position whose latest entry's row asks for
 * protection has exactly one protection group for its whole shares, and none
 * rests otherwise; nothing is queued that the last alert did not ask for.
 */
import fc from 'fast-check';
import { type Command, commandArb, LifecycleRun, type Mode, type RowSpec } from '../support/lifecycle';
import { booksViolations, correctionViolations, intentViolations, leftoverViolations, protectionViolations } from '../support/lifecycle-invariants';

const SHARED_ROWS: RowSpec[] = [
  { timeframe: '15', key: '15m', label: '15 Min', positionSize: '5000', stopLossPct: '2' },
  { timeframe: '30', key: '30m', label: '30 Min', positionSize: '3000', stopLossPct: '2', takeProfitPct: '3' },
  { timeframe: '60', key: '60m', label: '1 Hour', positionSize: '4000' },
];
const PER_ROW_ROWS: RowSpec[] = [
  { timeframe: '15', key: '15m', label: '15 Min', positionSize: '5000' },
  { timeframe: '30', key: '30m', label: '30 Min', positionSize: '3000' },
  { timeframe: '60', key: '60m', label: '1 Hour', positionSize: '2000' },
];
const NUM_RUNS = Number(process.env.LIFECYCLE_RUNS ?? 8);
/** LIFECYCLE_REPLAY='[…commands…]' runs that one sequence (a counterexample, as fast-check printed it) instead. */
const REPLAY = process.env.LIFECYCLE_REPLAY ? (JSON.parse(process.env.LIFECYCLE_REPLAY) as Command[]) : undefined;

/** LIFECYCLE_DUMP=1: the broker's orders and the server's log lines of a failing run, to diagnose it. */
function dump(run: LifecycleRun): void {
  if (!process.env.LIFECYCLE_DUMP) return;
  const orders = run.stack.alpaca.orders.map((o) => `${o.client_order_id} ${o.order_class || ''}${o.type} ${o.side} ${o.qty ?? '$' + o.notional} ${o.status} sub=${o.submitted_at} fill=${o.filled_at}`);
  process.stderr.write(`\nORDERS\n${orders.join('\n')}\nLOGS\n${run.stack.logs.join('\n')}\n`);
}

const coverage: Record<Mode, Record<string, number>> = { shared: {}, 'per-row': {} };

/** Runs one sequence on a fresh stack and returns what broke, phase by phase. */
async function check(mode: Mode, commands: Command[]): Promise<string[]> {
  const t0 = Date.now();
  const run = await LifecycleRun.start(mode, mode === 'shared' ? SHARED_ROWS : PER_ROW_ROWS, 100);
  run.timing['ms start'] = Date.now() - t0;
  try {
    for (const c of commands) await run.apply(c);
    await run.quiet();
    run.disarm();
    const found: string[] = [];
    const at = (phase: string, violations: string[]) => found.push(...violations.map((v) => `${phase}: ${v}`));
    at('before the open', intentViolations(run, true));
    const t1 = Date.now();
    await run.settle();
    run.timing['ms settle'] = Date.now() - t1;
    at('settled', leftoverViolations(run));
    at('settled', intentViolations(run, false));
    if (mode === 'shared') at('settled', protectionViolations(run));
    else at('settled', booksViolations(run));
    await run.stack.server.reconcile();
    await run.quiet();
    if (mode === 'shared') at('after reconcile', protectionViolations(run));
    else at('after reconcile', [...booksViolations(run), ...correctionViolations(run)]);
    at('after reconcile', leftoverViolations(run));
    for (const [k, v] of Object.entries(run.coverage())) coverage[mode][k] = (coverage[mode][k] ?? 0) + v;
    if (found.length) dump(run);
    if (found.length && process.env.LIFECYCLE_VERBOSE) process.stderr.write(`\nFAILED ${mode}: ${JSON.stringify(commands)}\n  ${found.join('\n  ')}\n`);
    return found.length ? [...found, `after: ${run.applied.join(', ')}`] : [];
  } catch (err) {
    dump(run);
    if (process.env.LIFECYCLE_VERBOSE) process.stderr.write(`\nTHREW ${mode}: ${JSON.stringify(commands)}\n  ${String(err)}\n`);
    throw err;
  } finally {
    await run.stop();
  }
}

/** Half the runs start with the market closed, so orders queue from the first alert on. */
const sequences = (rows: number) =>
  fc.tuple(fc.boolean(), fc.array(commandArb(rows), { minLength: 6, maxLength: 14, size: 'max' }))
    .map(([closed, commands]): Command[] => (closed ? [{ kind: 'market', open: false }, ...commands] : commands));

describe('the order life cycle (property, over HTTP)', () => {
  for (const mode of ['shared', 'per-row'] as const) {
    it(`when random alerts, late fills, refusals, stop fills, restarts and /flatten hit ${mode} positions, then at rest the broker, the books and the protection agree with the last word`, async () => {
      if (REPLAY) return expect(await check(mode, REPLAY)).toEqual([]);
      const started = Date.now();
      await fc.assert(fc.asyncProperty(sequences(3), async (commands) => {
        expect(await check(mode, commands)).toEqual([]);
      }), { numRuns: NUM_RUNS, endOnFailure: process.env.LIFECYCLE_SHRINK === '0' });
      console.log(`${mode}: ${NUM_RUNS} runs in ${Date.now() - started} ms; ${JSON.stringify(coverage[mode])}`);
    }, Math.max(240_000, NUM_RUNS * 30_000));
  }
});
