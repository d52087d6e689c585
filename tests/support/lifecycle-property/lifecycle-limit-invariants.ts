/**
 * What must hold at rest for limit rows, beyond lifecycle-invariants.ts: an
 * exit is never left undone unless its 3 tries failed, and then its row is
 * FAILED; an entry whose limit timed out ends with what filled, and its row
 * says so (WAITING "limit not filled", or FILLED "limit filled a of b").
 */
import { SYMBOL } from './lifecycle-commands';
import type { LifecycleRun } from './lifecycle';
import { isResting } from './lifecycle-orders';

/** True when the server gave up on an exit of `signalId` (3 tries, or a try the broker refused): `order.exit_failed`. */
export function exitFailed(run: LifecycleRun, signalId: string | undefined): boolean {
  if (!signalId) return false;
  return run.stack.logs.some((l) => l.includes('"event":"order.exit_failed"') && l.includes(`"signal":"${signalId}"`));
}

/** Waits until every status the server posted is written into the sheet (the outbox writes in debounced batches). */
export async function statusesWritten(run: LifecycleRun): Promise<void> {
  const { journal } = run.stack.server.ctx;
  await run.stack.until(() => journal.pendingStatuses(1).length === 0, 'the statuses to be written', 15_000);
}

/**
 * The row of each last word that is an alert says how its limit ended: FAILED when its exit gave up;
 * when its last order is an entry cancelled at its timeout, WAITING "limit not filled in N s" (nothing
 * filled) or FILLED "limit filled a of b in N s" (a part did; a protective fill since may have made it WAITING).
 */
export function limitStatusViolations(run: LifecycleRun): string[] {
  const out: string[] = [];
  const { journal } = run.stack.server.ctx;
  for (const [key, intent] of run.intents) {
    if (!intent.signalId) continue;
    const rowIndex =
      run.mode === 'shared' ? run.rows.findIndex((r) => r.key === journal.getSignal(intent.signalId!)?.signal.timeframe) : key;
    const spec = run.rows[rowIndex];
    if (!spec?.limit) continue;
    const row = run.stack.row(SYMBOL, spec.label);
    const said = `${row['Order Status']} "${row.Reason ?? ''}"`;
    if (exitFailed(run, intent.signalId)) {
      if (row['Order Status'] !== 'FAILED') out.push(`${spec.label}: the exit of ${intent.by} gave up, yet the row says ${said}`);
      continue;
    }
    const orders = journal.ordersForSignal(intent.signalId).filter((o) => o.role !== 'protective');
    const last = orders.sort((a, b) => a.createdAt - b.createdAt).at(-1);
    if (!last || last.meaning.role !== 'entry' || !last.meaning.timeout) continue;
    // Cancelled at its timeout, not by a newer trade (per-row netting cancels a working entry and shows the row FILLED).
    const timedOut = run.stack.logs.some(
      (l) => l.includes('"event":"order.timed_out"') && l.includes(`"client_order_id":"${last.clientOrderId}"`),
    );
    if (!timedOut || (last.brokerStatus !== 'canceled' && last.brokerStatus !== 'expired')) continue;
    const filled = last.filledQty ?? 0;
    const ok =
      filled > 0
        ? (row['Order Status'] === 'FILLED' && /limit filled/.test(row.Reason ?? '')) ||
          (row['Order Status'] === 'WAITING' && / filled at /.test(row.Reason ?? ''))
        : row['Order Status'] === 'WAITING' && /limit not filled|not opened/.test(row.Reason ?? '');
    if (!ok) out.push(`${spec.label}: ${intent.by}'s limit entry timed out with ${filled} of ${last.qty} filled, yet the row says ${said}`);
  }
  return out;
}

/** True when a log line of `event` was written at or after `at` (ms). */
function loggedSince(run: LifecycleRun, event: string, at: number): boolean {
  return run.stack.logs.some((l) => l.includes(`"event":"${event}"`) && Date.parse(JSON.parse(l).t) >= at - 5);
}

/**
 * A last word of long or short is held, not flat (shared: the symbol; per-row: the row's book), unless
 * something since excuses it: the broker refused or rejected an order, an exit gave up, a stop or target
 * filled, or a limit timed out (its entry ends with what filled, and a working limit counted toward
 * ALREADY LONG/SHORT may have filled nothing).
 */
export function heldViolations(run: LifecycleRun): string[] {
  const out: string[] = [];
  const net = Number(run.stack.alpaca.positions().find((p) => p.symbol === SYMBOL)?.qty ?? 0);
  const books = run.stack.server.ctx.journal.rowBooks(SYMBOL);
  for (const [row, intent] of run.intents) {
    if (intent.target === 'flat') continue;
    const where = run.mode === 'shared' ? net : (books.find((b) => b.timeframe === run.rows[row].key)?.qty ?? 0);
    if (Math.abs(where) > 1e-9) continue;
    if (run.rejectionSince(intent) || exitFailed(run, intent.signalId)) continue;
    const stopped = run.stack.alpaca.orders.some(
      (o) => isResting(o) && o.status === 'filled' && Date.parse(String(o.filled_at)) >= intent.at,
    );
    if (stopped || loggedSince(run, 'order.timed_out', intent.at)) continue;
    out.push(
      `${run.mode === 'shared' ? SYMBOL : `row ${run.rows[row].label}`} is flat, but the last word (${intent.by}) was ${intent.target}`,
    );
  }
  return out;
}
