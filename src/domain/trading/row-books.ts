/**
 * Per-row positions (POSITION_MODE=per-row): every Config row holds its own
 * signed whole-share position, and the broker holds the net of the symbol's
 * rows. Pure arithmetic: what a row's plan leaves it holding, the broker
 * orders that move the net (never crossing zero in one leg), and how rows
 * yield to the broker's truth when it disagrees.
 */
import type { ConfigRow, ConfigTable } from './config-table';
import { wantsProtection } from './protection';
import type { Leg, TradePlan } from './trade-plan';

/** One row's own position in a symbol. */
export interface RowPosition {
  /** Canonical timeframe key of the row. */
  timeframe: string;
  /** Signed whole shares (negative short, 0 flat). */
  qty: number;
  /** When the row's position last changed (ms); reconcile shrinks the newest first. */
  changedAt: number;
}

/** Where a row's plan takes it: the exit part alone (`exitTo`) and the whole move (`target`), both signed shares. */
export interface RowMove {
  /** The row's shares once its exit is done (0 after a close; the row's own position when nothing is closed). */
  exitTo: number;
  /** The row's shares once its entry is done too; equals `exitTo` when the plan opens nothing. */
  target: number;
  /** True when the move opens or adds to the row's exposure (what a halt or the breaker refuses). */
  enters: boolean;
}

/**
 * The row's new position for a `trade` plan made from the row's own position
 * (with no working orders): a close goes to 0, an open to `openShares` on its
 * side, a scale by its quantity. `openShares` is the row's size in whole
 * shares, `floor(position_size / price)`; it is needed only when the plan opens.
 */
export function rowMove(plan: TradePlan & { kind: 'trade' }, rowQty: number, openShares = 0): RowMove {
  const exitTo = plan.close ? 0 : rowQty;
  if (plan.open) return { exitTo, target: plan.open === 'long' ? openShares : -openShares, enters: true };
  if (plan.scale) {
    const target = rowQty + (plan.scale.side === 'buy' ? plan.scale.qty : -plan.scale.qty);
    return plan.scale.adds ? { exitTo: rowQty, target, enters: true } : { exitTo: target, target, enters: false };
  }
  return { exitTo, target: exitTo, enters: false };
}

/** The row's size in whole shares at `price`; 0 when it buys less than one share. */
export function rowShares(positionSize: number, price: number): number {
  return price > 0 ? Math.floor(positionSize / price + 1e-9) : 0;
}

/**
 * The broker orders that move the net from `from` to `to` signed shares: one
 * leg, or two when the net crosses zero (close to flat first, then open the
 * rest), so no single order ever crosses zero. None when they are equal.
 */
export function netLegs(from: number, to: number): Leg[] {
  const delta = to - from;
  if (delta === 0) return [];
  const side = delta > 0 ? 'buy' : 'sell';
  if (from !== 0 && to !== 0 && Math.sign(from) !== Math.sign(to)) {
    return [
      { side, qty: Math.abs(from) },
      { side, qty: Math.abs(to) },
    ];
  }
  return [{ side, qty: Math.abs(delta) }];
}

/** The sum of the rows' positions: what the broker should hold. */
export function netOf(rows: readonly Pick<RowPosition, 'qty'>[]): number {
  return rows.reduce((sum, r) => sum + r.qty, 0);
}

/** How reconcile corrects the rows: each row's change, and what the rows could not explain. */
export interface RowCorrection {
  /** Rows that changed: their new position and the signed change. */
  changes: { timeframe: string; from: number; to: number }[];
  /** Broker net minus the corrected rows' sum: a difference no row can absorb (e.g. shares bought by hand). */
  unexplained: number;
}

/**
 * Moves the rows toward the broker's net. The side that was reduced gives
 * way: when the broker holds less long (or more short) than the rows, the
 * long rows shrink, newest change first; the mirror image for shorts. A row
 * never passes zero; what no row can absorb is reported as `unexplained`.
 */
export function shrinkToBroker(rows: readonly RowPosition[], brokerNet: number): RowCorrection {
  let left = brokerNet - netOf(rows);
  const changes: RowCorrection['changes'] = [];
  if (left === 0) return { changes, unexplained: 0 };
  // left < 0: the long side was reduced; left > 0: the short side was.
  const reducedSide = left < 0 ? 1 : -1;
  const candidates = rows.filter((r) => Math.sign(r.qty) === reducedSide).sort((a, b) => b.changedAt - a.changedAt);
  for (const row of candidates) {
    if (left === 0) break;
    const take = Math.min(Math.abs(row.qty), Math.abs(left));
    const to = row.qty - reducedSide * take;
    left += reducedSide * take;
    changes.push({ timeframe: row.timeframe, from: row.qty, to });
  }
  return { changes, unexplained: left };
}

/** Why a per-row row with StopLossPct, TakeProfitPct or TrailPct is refused its entries. */
export const PER_ROW_PROTECTION_PROBLEM =
  'stop_loss_pct, take_profit_pct and trail_pct need POSITION_MODE=shared: a protective exit covers the whole symbol, not one row';

/**
 * The row as per-row mode trades it: protective exits guard the symbol's whole
 * position, which this mode splits between rows, so a row that asks for them
 * has none, and a row problem that refuses its entries (its exits still trade).
 */
export function perRowConfigRow(row: ConfigRow): ConfigRow {
  if (!wantsProtection(row.protection)) return row;
  return { ...row, protection: undefined, problem: row.problem ?? PER_ROW_PROTECTION_PROBLEM };
}

/** The Config table as per-row mode reads it (see `perRowConfigRow`). */
export function perRowConfigTable(table: ConfigTable): ConfigTable {
  return { ...table, rows: table.rows.map(perRowConfigRow) };
}
