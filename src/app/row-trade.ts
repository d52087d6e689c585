/**
 * Per-row trading (POSITION_MODE=per-row): a signal moves only its own row's
 * book, planned with the same target-position rules as a shared position, and
 * the broker is sent the difference in the symbol's net.
 */
import { describeError, RejectedError } from '../domain/errors';
import { netLegs, rowMove, type RowMove, rowShares } from '../domain/row-books';
import { planTrade, type TradePlan, targetOf } from '../domain/trade-plan';
import type { GuardVerdict, TradingContext } from './context';
import { sizingPrice } from './entry';
import { refused, settled, startClose, startScale } from './execute-trade';
import { readHoldings } from './holdings';
import type { TradeStart } from './outcome';
import { alignRows, rowQty } from './row-books';
import type { TradeJob } from './trade-job';

/** A row's move with its entry checked: where the row ends, and the refusal of its entry if there was one. */
type CheckedMove = { move: RowMove; target: number; refusal?: GuardVerdict };

/**
 * Trades one signal for its own row, inside the symbol's lock: corrects the
 * rows toward the broker's position when they disagree, plans from the row's
 * own position (whole shares), checks any entry before anything is sent, and
 * sends the net difference as one leg, or two when the net crosses zero. A
 * refused entry never blocks the row's exit.
 */
export async function startRowTrade(ctx: TradingContext, job: TradeJob): Promise<TradeStart> {
  const { symbol, timeframe } = job.signal;
  try {
    const holdings = await readHoldings(ctx, job.signal);
    await alignRows(ctx, symbol, holdings.position);
    const mine = rowQty(ctx, symbol, timeframe);
    const plan = planTrade({ target: targetOf(job.signal), direction: job.row?.direction ?? 'both', position: mine, working: [], wholeShares: true });
    if (plan.kind === 'hold') return settled(ctx, job, plan.status, plan.reason, 'no order: ' + plan.reason);
    if (plan.kind !== 'trade') throw new RejectedError('a row is planned without working orders');
    const closedMarket = await ctx.guards.beforeOrders?.(job.signal);
    if (closedMarket) return refused(ctx, job, closedMarket);

    const net = holdings.position + holdings.working.reduce((sum, o) => sum + (o.side === 'buy' ? o.qty : -o.qty), 0);
    const checked = await checkRowEntry(ctx, job, plan, mine, net);
    if (checked.target === mine) {
      if (checked.refusal) return refused(ctx, job, checked.refusal);
      const status = mine > 0 ? 'ALREADY LONG' : mine < 0 ? 'ALREADY SHORT' : 'WAITING';
      return settled(ctx, job, status, 'no change', 'no order: no change');
    }
    const legs = netLegs(net, net + checked.target - mine);
    ctx.logger.info('rows.plan', { signal: job.signalId, symbol, timeframe, row_from: mine, row_to: checked.target, net_from: net, legs });
    if (legs.length === 2) {
      return await startClose(ctx, job, legs[0], { ok: true, open: { ok: true, side: legs[1].side, qty: legs[1].qty } });
    }
    if (checked.target === 0) return await startClose(ctx, job, legs[0], checked.refusal ? { ok: false, verdict: checked.refusal } : undefined);
    return await startScale(ctx, job, { ...legs[0], adds: checked.move.enters });
  } catch (err) {
    const reason = err instanceof RejectedError ? err.message : `broker unavailable: ${describeError(err)}`;
    ctx.logger.warn('signal.trade_error', { signal: job.signalId, symbol, error: describeError(err) });
    return settled(ctx, job, 'FAILED', reason, 'error');
  }
}

const failed = (reason: string): GuardVerdict => ({ status: 'FAILED', reason, sheetStatus: 'FAILED' });

/**
 * Sizes and checks the row's entry, if its plan has one: a readable, valid
 * row, the halt and the breaker, at least one whole share at the sizing
 * price, and MAX_POSITION_USD on the order and on the symbol's resulting net.
 * A refused entry leaves the row where its exit takes it.
 */
async function checkRowEntry(ctx: TradingContext, job: TradeJob, plan: TradePlan & { kind: 'trade' }, mine: number, net: number): Promise<CheckedMove> {
  const exitOnly = rowMove(plan, mine);
  if (!exitOnly.enters) return { move: exitOnly, target: exitOnly.target };
  const refuse = (refusal: GuardVerdict): CheckedMove => ({ move: exitOnly, target: exitOnly.exitTo, refusal });
  if (!job.row) return refuse(failed(job.rowProblem ?? 'config unavailable'));
  if (job.row.problem) return refuse(failed(job.row.problem));
  const halted = await ctx.guards.beforeLeg?.('entry');
  if (halted) return refuse(halted);
  let price: number;
  try {
    price = await sizingPrice(ctx, job.signal);
  } catch (err) {
    return refuse(failed(`no latest price for ${job.signal.symbol}: ${describeError(err)}`));
  }
  const shares = rowShares(job.row.positionSize, price);
  if (plan.open && shares < 1) {
    return refuse(failed(`position_size $${job.row.positionSize} buys less than 1 share of ${job.signal.symbol} at $${price}`));
  }
  const move = rowMove(plan, mine, shares);
  const capped = ctx.guards.capEntry?.({
    orderValue: Math.abs(move.target - move.exitTo) * price,
    resultingValue: Math.abs(net + move.target - mine) * price,
  });
  return capped ? refuse(capped) : { move, target: move.target };
}
