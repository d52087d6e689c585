/**
 * The per-row books (POSITION_MODE=per-row) kept true: corrected toward the
 * broker's position when it disagrees, and set up when the mode is switched on.
 */
import { describeError } from '../../domain/errors';
import { netOf, shrinkToBroker } from '../../domain/trading/row-books';
import type { BookShare } from '../../domain/trading/order-meaning';
import type { TradingContext } from '../context';
import { withRetry } from '../../shared/retry';

/** The row's own signed shares (0 when it never traded). */
export function rowQty(ctx: TradingContext, symbol: string, timeframe: string): number {
  return ctx.journal.rowBooks(symbol).find((b) => b.timeframe === timeframe)?.qty ?? 0;
}

/** True while an order of the symbol's (not a resting exit) has no final state: its fill may be at the broker and not yet in a book. */
function ordersInFlight(ctx: TradingContext, symbol: string): boolean {
  return ctx.journal.workingOrders(symbol).some((o) => o.role !== 'protective');
}

/**
 * Corrects the symbol's rows toward the broker's net `brokerNet` (the caller
 * holds the symbol's lock). The side that was reduced shrinks, newest change
 * first; a row left flat becomes WAITING with the reason, a smaller one says
 * so. One log line tells what changed. Nothing is done while one of the
 * symbol's orders is still unfinished. Returns how many rows changed.
 */
export async function alignRows(ctx: TradingContext, symbol: string, brokerNet: number): Promise<number> {
  const books = ctx.journal.rowBooks(symbol);
  const net = netOf(books);
  if (Math.abs(net - brokerNet) < 1e-9 || ordersInFlight(ctx, symbol)) return 0;
  const { changes, unexplained } = shrinkToBroker(books, brokerNet);
  const at = ctx.clock.now().getTime();
  const price = changes.length ? await latestPrice(ctx, symbol) : undefined;
  const why = brokerNet === 0 ? `the broker holds no ${symbol}` : `the broker holds ${brokerNet} ${symbol}`;
  for (const c of changes) {
    ctx.journal.applyRowChange({ symbol, timeframe: c.timeframe, qty: c.to - c.from, price, source: 'reconcile', at });
    const reason = `${why}: row reduced from ${c.from} to ${c.to}`;
    const status = c.to === 0 ? 'WAITING' : c.to > 0 ? 'ALREADY LONG' : 'ALREADY SHORT';
    ctx.outbox.post(symbol, c.timeframe, status, reason);
  }
  const quiet = changes.length === 0 && ctx.journal.unexplained(symbol) === unexplained;
  ctx.journal.setUnexplained(symbol, unexplained);
  if (!quiet) {
    ctx.logger.warn('reconcile.rows_corrected', { symbol, broker_net: brokerNet, rows_net: net, changes, unexplained });
  }
  return changes.length;
}

/** What a flatten's close of `symbol` moves: every row's book back to zero, each its own share of the fills. */
export function closingBooks(ctx: TradingContext, symbol: string): BookShare[] {
  return ctx.journal
    .rowBooks(symbol)
    .filter((b) => b.qty !== 0)
    .map((b) => ({ timeframe: b.timeframe, qty: -b.qty }));
}

/** Alpaca's latest price, for pricing a correction in the per-row P&L; undefined when it can't be had. */
async function latestPrice(ctx: TradingContext, symbol: string): Promise<number | undefined> {
  try {
    return await withRetry(ctx.clock, () => ctx.broker.getLatestPrice(symbol));
  } catch {
    return undefined;
  }
}

/**
 * Reconcile in per-row mode: every symbol held at the broker or in a row is
 * checked, under its lock, and its rows corrected toward the broker's net.
 * Returns how many rows changed.
 */
export async function reconcileRowBooks(ctx: TradingContext): Promise<number> {
  const positions = await ctx.broker.listPositions();
  const symbols = new Set([
    ...positions.map((p) => p.symbol),
    ...ctx.journal
      .rowBooks()
      .filter((b) => b.qty !== 0)
      .map((b) => b.symbol),
  ]);
  let changed = 0;
  for (const symbol of symbols) {
    await ctx.locks.run(symbol, async () => {
      const position = await withRetry(ctx.clock, () => ctx.broker.getPosition(symbol));
      changed += await alignRows(ctx, symbol, position?.qty ?? 0);
    });
  }
  return changed;
}

const MODE_KEY = 'position-mode';

/** A change of position mode, read and decided; `apply` makes it, writing the journal only (no await, so one transaction can hold it). */
export interface PositionModeSwitch {
  from: string;
  to: 'shared' | 'per-row';
  apply(): void;
}

/**
/**
 * Start-up in per-row mode, before the port is bound: reads what entering the
 * mode needs and returns the switch to apply once the port is bound, or
 * undefined when the journal is already in it. Nothing is written here, so a
 * start-up that fails later leaves the journal as it was. Entering per-row
 * (from shared, or for the first time) starts the books afresh: each symbol's
 * open position goes to the row of its latest trade (else its first Config
 * row), and the log says so. A broker that can't list positions throws: the
 * server must not start in the new mode.
 */
export async function planPerRowEntry(ctx: TradingContext): Promise<PositionModeSwitch | undefined> {
  const before = ctx.journal.get(MODE_KEY) ?? 'shared';
  if (before === 'per-row') return undefined;
  const positions = await withRetry(ctx.clock, () => ctx.broker.listPositions());
  const assigned: { symbol: string; timeframe?: string; qty: number; price: number }[] = [];
  for (const p of positions) {
    const timeframe = ctx.journal.latestTradeRow(p.symbol) ?? (await firstConfigRow(ctx, p.symbol));
    assigned.push({ symbol: p.symbol, timeframe, qty: p.qty, price: p.avgEntryPrice });
  }
  return {
    from: before,
    to: 'per-row',
    apply() {
      const at = ctx.clock.now().getTime();
      ctx.journal.clearRowBooks();
      for (const a of assigned) {
        if (a.timeframe)
          ctx.journal.applyRowChange({
            ref: `assigned:${a.symbol}:${at}`,
            symbol: a.symbol,
            timeframe: a.timeframe,
            qty: a.qty,
            price: a.price,
            source: 'assigned',
            at,
          });
      }
      ctx.logger.warn('positions.mode_switched', {
        from: before,
        to: 'per-row',
        assigned: assigned.map(({ symbol, timeframe, qty }) => ({ symbol, timeframe, qty })),
      });
      ctx.journal.set(MODE_KEY, 'per-row');
    },
  };
}

/** Start-up in shared mode: leaving per-row keeps the broker's position and ignores the books (applied once the port is bound). */
export async function planSharedEntry(ctx: TradingContext): Promise<PositionModeSwitch | undefined> {
  const before = ctx.journal.get(MODE_KEY) ?? 'shared';
  if (before === 'shared') return undefined;
  return {
    from: before,
    to: 'shared',
    apply() {
      ctx.logger.warn('positions.mode_switched', {
        from: before,
        to: 'shared',
        note: 'the broker position is kept; the per-row books are ignored',
      });
      ctx.journal.set(MODE_KEY, 'shared');
    },
  };
}

/** The symbol's first Config row (its timeframe key), when the Config can be read and has one. */
async function firstConfigRow(ctx: TradingContext, symbol: string): Promise<string | undefined> {
  try {
    const { table } = await ctx.config.readFor(ctx.clock.now().getTime());
    return table.rows.find((r) => r.symbol === symbol)?.timeframe;
  } catch (err) {
    ctx.logger.warn('positions.config_unreadable', { symbol, error: describeError(err) });
    return undefined;
  }
}
