/**
 * Per-row trading (POSITION_MODE=per-row): a signal moves only its own row's
 * book, planned with the same target-position rules as a shared position, and
 * the broker is sent the difference in the symbol's net.
 */
import { describeError, RejectedError } from '../domain/errors';
import { netLegs, perRowConfigRow, rowMove, type RowMove, rowShares } from '../domain/row-books';
import { planTrade, type Target, type TradePlan, targetOf, type WorkingOrder } from '../domain/trade-plan';
import type { Side } from '../domain/types';
import type { GuardVerdict, TradingContext } from './context';
import { sizingPrice } from './sizing-price';
import { refused, settled, startClose, startScale } from './trade-legs';
import { cancelAndSettle, type Holdings, readHoldings } from './holdings';
import { cancelProtection } from './protection';
import { netAgainstWorking } from './row-netting';
import type { TradeStart } from './outcome';
import { alignRows, rowQty } from './row-books';
import type { TradeJob } from './trade-job';

/** A row's move with its entry checked: where the row ends, and the refusal of its entry if there was one. */
type CheckedMove = { move: RowMove; target: number; refusal?: GuardVerdict };

/**
 * Trades one signal for its own row, inside the symbol's lock: corrects the
 * rows toward the broker's position when they disagree, plans from the row's
 * own position plus its own working orders (whole shares), checks any entry
 * before anything is sent, nets the change against other rows' working
 * orders on the other side, and sends what is left of the net difference as
 * one leg, or two when the net crosses zero. A refused entry never blocks the
 * row's exit. The bot's protective exits resting for the symbol (left from
 * shared mode) are cancelled before anything is sent; a row that asks for
 * protection is refused its entries (see `withoutProtection`).
 */
export async function startRowTrade(ctx: TradingContext, given: TradeJob, held?: Promise<Holdings>, replanned = false): Promise<TradeStart> {
  const job = withoutProtection(given);
  const { symbol, timeframe } = job.signal;
  try {
    const read = await (held ?? readHoldings(ctx, job.signal));
    await alignRows(ctx, symbol, read.position);
    const { plan, row, cancelled, holdings } = await planRow(ctx, job, read);
    if (plan.kind === 'hold') {
      const reason = cancelled ? `cancelled ${cancelled} working order${cancelled > 1 ? 's' : ''}; ${plan.reason}` : plan.reason;
      return settled(ctx, job, plan.status, reason, 'no order: ' + reason);
    }
    if (plan.kind !== 'trade') throw new RejectedError('orders kept working after their cancel');
    const closedMarket = await ctx.guards.beforeOrders?.(job.signal);
    if (closedMarket) return refused(ctx, job, closedMarket);

    let net = netOf(holdings);
    const checked = await checkRowEntry(ctx, job, plan, row, net);
    if (checked.target === row) {
      if (checked.refusal) return refused(ctx, job, checked.refusal);
      return settled(ctx, job, row > 0 ? 'ALREADY LONG' : row < 0 ? 'ALREADY SHORT' : 'WAITING', 'no change', 'no order: no change');
    }
    if ((await unprotectFirst(ctx, holdings)) && !replanned) return await startRowTrade(ctx, given, undefined, true);
    const netted = await netAgainstWorking(ctx, job, holdings.orders, checked.target - row);
    const change = checked.target - row - netted;
    if (change === 0) {
      const reason = `netted inside ${symbol}: no order needed`;
      if (checked.refusal) return refused(ctx, job, checked.refusal);
      return settled(ctx, job, checked.target === 0 ? 'WAITING' : 'FILLED', reason, reason);
    }
    if (netted) net = netOf(await readHoldings(ctx, job.signal));
    const legs = netLegs(net, net + change);
    ctx.logger.info('rows.plan', { signal: job.signalId, symbol, timeframe, row_from: row, row_to: checked.target, netted, net_from: net, legs });
    if (legs.length === 2) {
      // With no entry left in the row's move, the second leg is the rest of its exit: a halt must not stop it.
      const exposure = checked.refusal || !checked.move.enters ? 'exit' : 'entry';
      return await startClose(ctx, job, legs[0], { ok: true, open: { ok: true, side: legs[1].side, qty: legs[1].qty }, exposure, refusal: checked.refusal });
    }
    if (checked.target === 0) return await startClose(ctx, job, legs[0], checked.refusal ? { ok: false, verdict: checked.refusal } : undefined);
    return await startScale(ctx, job, { ...legs[0], adds: checked.move.enters });
  } catch (err) {
    const reason = err instanceof RejectedError ? err.message : `broker unavailable: ${describeError(err)}`;
    ctx.logger.warn('signal.trade_error', { signal: job.signalId, symbol, error: describeError(err) });
    return settled(ctx, job, 'FAILED', reason, 'error');
  }
}

/**
 * The row's plan from its own book plus its own working orders (those sent
 * for this row); when the plan says, those are cancelled first, waited for,
 * and the row is planned again. `row` is what the row will hold once its
 * remaining working orders fill.
 */
async function planRow(ctx: TradingContext, job: TradeJob, holdings: Holdings): Promise<{ plan: TradePlan; row: number; cancelled: number; holdings: Holdings }> {
  const direction = job.row?.direction ?? 'both';
  const once = (h: Holdings, target: Target) => {
    const working = rowWorking(ctx, h, job.signal.timeframe);
    const position = rowQty(ctx, job.signal.symbol, job.signal.timeframe);
    const plan = planTrade({ target, direction, position, working, wholeShares: true });
    return { plan, row: position + working.reduce((sum, o) => sum + signedQty(o), 0), holdings: h };
  };
  const first = once(holdings, targetOf(job.signal));
  if (first.plan.kind !== 'cancel') return { ...first, cancelled: 0 };
  await cancelAndSettle(ctx, first.plan.orderIds, job);
  return { ...once(await readHoldings(ctx, job.signal), first.plan.then), cancelled: first.plan.orderIds.length };
}

const signedQty = (o: { side: Side; qty: number }) => (o.side === 'buy' ? o.qty : -o.qty);

/** The bot's working orders sent for this row (told by the row the journal recorded on each). */
function rowWorking(ctx: TradingContext, holdings: Holdings, timeframe: string): WorkingOrder[] {
  const mine = new Set(holdings.orders.filter((o) => ctx.journal.getOrder(o.clientOrderId)?.book === timeframe).map((o) => o.id));
  return holdings.working.filter((w) => mine.has(w.id));
}

/** The symbol's net as it will be once the bot's working orders fill: the broker's position plus those orders. */
function netOf(holdings: Holdings): number {
  return holdings.position + holdings.working.reduce((sum, o) => sum + signedQty(o), 0);
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

/** The job with its row as per-row mode trades it: no protection, and its entries refused when the row asked for some. */
function withoutProtection(job: TradeJob): TradeJob {
  return job.row ? { ...job, row: perRowConfigRow(job.row) } : job;
}

/**
 * Cancels the bot's protective exits resting for the symbol before an order
 * is sent (they hold the shares an exit needs and must not fill after it),
 * unless a halt blocks exits. True when one filled first: plan again.
 */
async function unprotectFirst(ctx: TradingContext, holdings: Holdings): Promise<boolean> {
  if (holdings.protection.length === 0) return false;
  if (await ctx.guards.beforeLeg?.('exit')) return false;
  return (await cancelProtection(ctx, holdings.protection)).length > 0;
}
