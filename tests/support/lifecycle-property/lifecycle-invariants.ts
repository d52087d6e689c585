/**
 * What must hold once a lifecycle run is at rest, read from the fake Alpaca
 * (what the broker holds and has resting) and, for the rows' books, from the
 * journal. Each check returns the violations it found, as sentences.
 */
import { SYMBOL } from './lifecycle-commands';
import type { LifecycleRun } from './lifecycle';
import { exitFailed } from './lifecycle-limit-invariants';
import { isOcoLeg, isOpen, isResting } from './lifecycle-orders';

type WireOrder = Record<string, unknown>;

const num = (v: unknown) => Number(v ?? 0);
const signed = (o: WireOrder, qty: number) => (o.side === 'buy' ? qty : -qty);
const isBot = (o: WireOrder) => String(o.client_order_id).startsWith('tb-');
/** The bot's working market orders (anything of the bot's that is open and not a resting exit). */
const queued = (orders: WireOrder[]) => orders.filter((o) => isOpen(o) && !isResting(o));

/** The broker's signed position in the symbol. */
export function brokerNet(run: LifecycleRun): number {
  return num(run.stack.alpaca.positions().find((p) => p.symbol === SYMBOL)?.qty);
}

/** The sum of the rows' books (per-row mode). */
export function booksNet(run: LifecycleRun): number {
  return run.stack.server.ctx.journal.rowBooks(SYMBOL).reduce((sum, b) => sum + b.qty, 0);
}

/** The row (index into `run.rows`) of the signal that sent a bot order, from its client order id `tb-<signal>-<leg>`. */
function rowOfOrder(run: LifecycleRun, o: WireOrder): number | undefined {
  const id = String(o.client_order_id);
  if (!id.startsWith('tb-') || id.startsWith('tb-flatten-')) return undefined;
  const signalId = id.slice(3, id.lastIndexOf('-'));
  const timeframe = run.stack.server.ctx.journal.getSignal(signalId)?.signal.timeframe;
  const row = run.rows.findIndex((r) => r.key === timeframe);
  return row < 0 ? undefined : row;
}

/**
 * Replays the broker's executions (its FILL activities, partial fills
 * included) in the order they happened, and returns the row whose fill last
 * opened or added to the position (undefined once it went flat), with the
 * replayed net. Executions of one moment go in the order their orders were sent.
 */
export function latestEntryRow(run: LifecycleRun): { row?: number; net: number } {
  const orders = run.stack.alpaca.orders;
  const index = new Map(orders.map((o, i) => [String(o.id), i]));
  const fills = run.stack.alpaca
    .activities()
    .filter((f) => f.symbol === SYMBOL)
    .sort(
      (a, b) =>
        a.transaction_time.localeCompare(b.transaction_time) ||
        (index.get(a.order_id) ?? 0) - (index.get(b.order_id) ?? 0) ||
        num(a.cum_qty) - num(b.cum_qty),
    );
  let net = 0;
  let row: number | undefined;
  for (const f of fills) {
    const after = net + (f.side === 'buy' ? 1 : -1) * num(f.qty);
    const order = orders[index.get(f.order_id) ?? -1];
    if (Math.abs(after) > Math.abs(net) + 1e-9) row = order && rowOfOrder(run, order);
    if (Math.abs(after) < 1e-9) row = undefined;
    net = after;
  }
  return { row, net };
}

/**
 * The protection invariant (shared mode): while a position is held and the
 * row of its latest entry asks for protection, exactly one resting group (an
 * OCO pair counting once) for its whole shares, on the closing side, of the
 * row's kind; none otherwise.
 */
export function protectionViolations(run: LifecycleRun): string[] {
  const orders = run.stack.alpaca.orders;
  const resting = orders.filter((o) => isOpen(o) && isResting(o));
  const groups = resting.filter((o) => !isOcoLeg(o));
  const legs = resting.filter(isOcoLeg);
  const out: string[] = [];
  const parents = groups.filter((o) => o.order_class === 'oco');
  if (legs.length !== parents.length) out.push(`${parents.length} OCO parents rest but ${legs.length} OCO stop legs`);
  const held = brokerNet(run);
  const { row, net } = latestEntryRow(run);
  if (Math.abs(net - held) > 1e-6) out.push(`replaying the broker's fills gives ${net}, the broker holds ${held}`);
  const spec = row === undefined ? undefined : run.rows[row];
  const whole = Math.floor(Math.abs(held) + 1e-9);
  const describe = (o: WireOrder) => `${o.client_order_id} ${o.order_class || ''}${o.type} ${o.side} ${o.qty} ${o.status}`;
  if (held === 0 || !spec?.stopLossPct || whole < 1) {
    if (groups.length)
      out.push(`held ${held} (latest entry by ${spec?.label ?? 'no row'}), yet protective orders rest: ${groups.map(describe).join(', ')}`);
    return out;
  }
  if (groups.length !== 1) {
    out.push(
      `held ${held} after an entry by ${spec.label} (asks for protection): ` +
        `${groups.length} protective groups rest${groups.length ? ': ' + groups.map(describe).join(', ') : ''}`,
    );
    return out;
  }
  const [g] = groups;
  const kind = spec.takeProfitPct ? 'oco' : 'stop';
  const gKind = g.order_class === 'oco' ? 'oco' : String(g.type);
  if (num(g.qty) !== whole || g.side !== (held > 0 ? 'sell' : 'buy') || gKind !== kind) {
    out.push(
      `held ${held} after an entry by ${spec.label}: ` +
        `expected a ${kind} for ${whole} on the ${held > 0 ? 'sell' : 'buy'} side, found ${describe(g)}`,
    );
  }
  return out;
}

/**
 * Nothing of the bot's is left working that no alert asked for: no market
 * order open once settled, nothing of anyone else's, and (per-row mode) no
 * resting exit at all.
 */
export function leftoverViolations(run: LifecycleRun): string[] {
  const open = run.stack.alpaca.orders.filter(isOpen);
  const out: string[] = [];
  const working = queued(open);
  if (working.length)
    out.push(
      `orders still working after settling: ` +
        working.map((o) => `${o.client_order_id} ${o.side} ${o.qty ?? '$' + o.notional} ${o.status}`).join(', '),
    );
  const foreign = open.filter((o) => !isBot(o) && !isOcoLeg(o));
  if (foreign.length) out.push(`orders open that the bot did not send: ${foreign.length}`);
  if (run.mode === 'per-row' && open.length)
    out.push(`per-row mode, yet ${open.length} orders rest: ${open.map((o) => `${o.client_order_id} ${o.type}`).join(', ')}`);
  return out;
}

/**
 * Where the last alert (or /flatten) sent the symbol (shared) or each row
 * (per-row) is where it is, or is headed with only the orders queued now:
 * flat after a CLOSE, a `market_position` flat or /flatten; not short after
 * a long target, not long after a short one. A rejection of an order sent
 * since excuses it (the broker refused what was asked), and so does an exit
 * that gave up after its tries (its row must then be FAILED: lifecycle-limit-invariants.ts).
 */
export function intentViolations(run: LifecycleRun, includeQueued: boolean): string[] {
  const out: string[] = [];
  const working = includeQueued ? queued(run.stack.alpaca.orders.filter((o) => isBot(o))) : [];
  const pending = working.reduce((sum, o) => sum + signed(o, num(o.qty) - num(o.filled_qty)), 0);
  const books = run.stack.server.ctx.journal.rowBooks(SYMBOL);
  for (const [row, intent] of run.intents) {
    if (run.rejectionSince(intent) || exitFailed(run, intent.signalId)) continue;
    let where: number;
    let what: string;
    if (run.mode === 'shared') {
      where = brokerNet(run) + pending;
      what = `${SYMBOL}${includeQueued ? ' with its queued orders' : ''}`;
    } else {
      // Per row, queued orders can't be told apart here: checked only once they filled, or when every row was told flat.
      if (includeQueued && (working.length || ![...run.intents.values()].every((i) => i.target === 'flat'))) continue;
      where = books.find((b) => b.timeframe === run.rows[row].key)?.qty ?? 0;
      what = `row ${run.rows[row].label}`;
    }
    const ok = intent.target === 'flat' ? Math.abs(where) < 1e-9 : intent.target === 'long' ? where > -1e-9 : where < 1e-9;
    if (!ok) out.push(`${what} is at ${where}, but the last word (${intent.by}) was ${intent.target}`);
  }
  if (
    run.mode === 'per-row' &&
    includeQueued &&
    working.length === 0 &&
    [...run.intents.values()].every((i) => i.target === 'flat') &&
    run.intents.size === run.rows.length &&
    [...run.intents.values()].every((i) => !run.rejectionSince(i) && !exitFailed(run, i.signalId))
  ) {
    if (Math.abs(brokerNet(run)) > 1e-9) out.push(`every row was told flat, the broker holds ${brokerNet(run)}`);
  }
  return out;
}

/** Per-row mode: the broker's net equals the sum of the rows' books. */
export function booksViolations(run: LifecycleRun): string[] {
  const broker = brokerNet(run);
  const rows = booksNet(run);
  const each = run.stack.server.ctx.journal
    .rowBooks(SYMBOL)
    .map((b) => `${b.timeframe}:${b.qty}`)
    .join(' ');
  return Math.abs(broker - rows) < 1e-9 ? [] : [`the broker holds ${broker}, the rows' books add up to ${rows} (${each})`];
}

/** Per-row mode: reconcile never had to correct the books (they were kept true by the orders' fills alone). */
export function correctionViolations(run: LifecycleRun): string[] {
  return run.stack.logs.filter((l) => l.includes('"reconcile.rows_corrected"')).map((l) => `books corrected: ${l.slice(0, 400)}`);
}
