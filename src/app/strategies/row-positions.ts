/**
 * POSITION_MODE=per-row: a signal moves only its own row's book, planned
 * with the same target-position rules as a shared position, and the broker
 * is sent the difference in the symbol's net: one leg, or two when the net
 * crosses zero (the second being the rest of an exit, which never expires,
 * or an entry, which does).
 */
import { CRYPTO_SHARED_ONLY } from '../../domain/trading/crypto';
import { isCryptoSymbol } from '../../domain/signal/symbol';
import { describeError } from '../../domain/errors';
import { assetRules } from '../../domain/trading/broker-rules';
import type { BookShare, OrderMeaning } from '../../domain/trading/order-meaning';
import { netLegs, perRowConfigRow, rowMove, type RowMove } from '../../domain/trading/row-books';
import { cappedNote, needsEquity, rowEntryShares, typedDollars, wantedSize } from '../../domain/trading/sizing';
import { planTrade, type Target, type TradePlan, targetOf, type WorkingOrder } from '../../domain/trading/trade-plan';
import type { Side } from '../../domain/types';
import type { GuardVerdict, TradingContext } from '../context';
import { cancelAndSettle, type Holdings, readHoldings } from '../positions/holdings';
import type { Checked, Ending, FirstLeg, PlanResult, PositionStrategy } from './position-strategy';
import { alignRows, closingBooks, planPerRowEntry, reconcileRowBooks, rowQty } from '../positions/row-books';
import { deferBehind, netAgainstWorking } from './row-netting';
import { sizingEquity, sizingPrice } from '../positions/sizing-price';
import { conclude } from '../outcome';
import { jobLabel, type TradeJob } from '../trade-job';

/** A row's move with its entry checked: where the row ends, and the refusal of its entry if there was one. */
interface CheckedMove {
  move: RowMove;
  target: number;
  refusal?: GuardVerdict;
  /** What the row's status says beside the word (MAX_POSITION_USD cut the entry). */
  note?: string;
}

const signedQty = (o: { side: Side; qty: number }) => (o.side === 'buy' ? o.qty : -o.qty);
/** Each round nets at least one share, and a resend is smaller each time; this bounds a pathological chain. */
const MAX_NETTING_ROUNDS = 5;
const failed = (reason: string): GuardVerdict => ({ status: 'FAILED', reason, sheetStatus: 'FAILED' });

/** The job with its row as per-row mode trades it: no protection, and its entries refused when the row asked for some. */
const perRowJob = (job: TradeJob): TradeJob => (job.row ? { ...job, row: perRowConfigRow(job.row) } : job);

/** The per-row strategy. */
export const rowPositions: PositionStrategy = {
  mode: 'per-row',
  protects: false,

  async plan(ctx, given, held): Promise<PlanResult> {
    const job = perRowJob(given);
    endWaitingOfRow(ctx, job);
    // The books move only when POST /flatten's close fills: until then the rows can't be planned from.
    const flattening = held.orders.find((o) => ctx.journal.getOrder(o.clientOrderId)?.role === 'flatten');
    if (flattening) {
      ctx.journal.deferSignal(job.signalId, flattening.clientOrderId);
      return { kind: 'deferred', reason: "queued behind the flatten's close: traded once it fills" };
    }
    await alignRows(ctx, job.signal.symbol, held.position);
    const direction = job.row?.direction ?? 'both';
    const once = (h: Holdings, target: Target) => {
      const working = rowWorking(ctx, h, job.signal.timeframe);
      const position = rowQty(ctx, job.signal.symbol, job.signal.timeframe);
      const plan = planTrade({ target, direction, position, working, wholeShares: true, rules: assetRules(ctx.broker.rules) });
      return { plan, row: position + working.reduce((sum, o) => sum + signedQty(o), 0), holdings: h };
    };
    let step = once(held, targetOf(job.signal));
    let cancelled = 0;
    if (step.plan.kind === 'cancel') {
      cancelled = step.plan.orderIds.length;
      await cancelAndSettle(ctx, step.holdings, step.plan.orderIds, job);
      step = once(await readHoldings(ctx, job.signal), step.plan.then);
    }
    if (step.plan.kind === 'hold')
      return { kind: 'hold', status: step.plan.status, reason: step.plan.reason, cancelled, holdings: step.holdings };
    if (step.plan.kind !== 'trade') throw new Error('orders kept working after their cancel');
    return { kind: 'trade', plan: step.plan, holdings: step.holdings, row: step.row };
  },

  async check(ctx, given, planned): Promise<Checked> {
    const job = perRowJob(given);
    const row = planned.row ?? 0;
    const checked = await checkRowEntry(ctx, job, planned.plan, row, netOf(planned.holdings));
    if (checked.target === row) {
      const ending: Ending = checked.refusal
        ? { kind: 'refused', verdict: checked.refusal }
        : {
            kind: 'settled',
            status: row > 0 ? 'ALREADY LONG' : row < 0 ? 'ALREADY SHORT' : 'WAITING',
            reason: 'no change',
            decision: 'no order: no change',
          };
      return { ending, exitOnly: true };
    }
    return { exitOnly: !checked.move.enters || checked.refusal !== undefined, detail: checked };
  },

  async legs(ctx, job, planned, checked): Promise<FirstLeg | Ending> {
    const { symbol, timeframe } = job.signal;
    const { move, target, refusal, note } = checked.detail as CheckedMove;
    const row = planned.row ?? 0;
    // Netting may send another row's rest again; what this row still needs nets against that too.
    let netted = 0;
    let holdings = planned.holdings;
    for (let round = 0; round < MAX_NETTING_ROUNDS; round++) {
      const more = await netAgainstWorking(ctx, job, holdings.orders, target - row - netted);
      if (more === 0) break;
      netted += more;
      holdings = await readHoldings(ctx, job.signal);
    }
    const change = target - row - netted;
    if (change === 0) {
      const reason = `netted inside ${symbol}: no order needed`;
      return refusal
        ? { kind: 'refused', verdict: refusal }
        : { kind: 'settled', status: target === 0 ? 'WAITING' : 'FILLED', reason, decision: reason };
    }
    const net = netOf(holdings);
    let legs = netLegs(net, net + change);
    let books: BookShare[] | undefined;
    if (legs.length === 2 && net > 0 && !Number.isInteger(net)) ({ legs, books } = wholeShort(ctx, job, net, change));
    const blocked = deferBehind(ctx, job, holdings, legs[0]);
    if (blocked) return blocked;
    ctx.logger.info('rows.plan', { signal: job.signalId, symbol, timeframe, row_from: row, row_to: target, netted, net_from: net, legs });
    if (legs.length === 2) {
      // With no entry left in the row's move, the second leg is the rest of its exit: a halt never stops it, nor does age.
      const exposure = refusal || !move.enters ? 'exit' : 'entry';
      const meaning: OrderMeaning = {
        role: 'exit',
        next: { ...legs[1], exposure, note: exposure === 'entry' ? note : undefined },
        refusal,
        books,
      };
      return { kind: 'send', leg: 'close', order: legs[0], meaning };
    }
    if (target === 0) return { kind: 'send', leg: 'close', order: legs[0], meaning: { role: 'exit', refusal } };
    return {
      kind: 'send',
      leg: 'scale',
      order: legs[0],
      meaning: { role: move.enters ? 'entry' : 'exit', note: move.enters ? note : undefined },
    };
  },

  bookOf: (job) => job.signal.timeframe,
  filledStatus: (ctx, job) => (rowQty(ctx, job.signal.symbol, job.signal.timeframe) === 0 ? 'WAITING' : 'FILLED'),
  retell: () => undefined, // each row speaks only for its own book
  reconcile: (ctx) => reconcileRowBooks(ctx),
  enter: (ctx) => planPerRowEntry(ctx),
  flattenBooks: (ctx, symbol) => closingBooks(ctx, symbol),
};

/**
 * The legs of a move across zero from a net holding a fractional long
 * (carried in from shared mode): the fraction is sold with the long side in
 * the first leg, moving the rows that hold it (or none, when no row explains
 * it), so the short that follows is whole shares; Alpaca refuses fractional shorts.
 */
function wholeShort(
  ctx: TradingContext,
  job: TradeJob,
  net: number,
  change: number,
): { legs: { side: Side; qty: number }[]; books: BookShare[] } {
  const { symbol, timeframe } = job.signal;
  const fractionOf = (qty: number) => (qty > 0 ? Math.round((qty - Math.floor(qty)) * 1e9) / 1e9 : 0);
  const own = fractionOf(rowQty(ctx, symbol, timeframe));
  const base = Math.floor(net);
  const legs = netLegs(base, base + change + own);
  const others = ctx.journal.rowBooks(symbol).filter((b) => b.timeframe !== timeframe && fractionOf(b.qty) > 0);
  const books: BookShare[] = [
    { timeframe, qty: -(base + own) },
    ...others.map((b) => ({ timeframe: b.timeframe, qty: -fractionOf(b.qty) })),
  ];
  ctx.logger.info('rows.fraction_sold', { symbol, fraction: Math.round((net - base) * 1e9) / 1e9, rows: books });
  return { legs: [{ ...legs[0], qty: net }, ...legs.slice(1)], books };
}

/** A newer alert of the row has the last word: an older one of the row still waiting behind a queued order ends, superseded. */
function endWaitingOfRow(ctx: TradingContext, job: TradeJob): void {
  const { symbol, timeframe } = job.signal;
  for (const waiting of ctx.journal.workingSignals()) {
    if (!waiting.waitsFor || waiting.id === job.signalId || waiting.signal.symbol !== symbol || waiting.signal.timeframe !== timeframe)
      continue;
    ctx.journal.deferSignal(waiting.id, undefined);
    const reason = `superseded by ${jobLabel(job)}`;
    conclude(ctx, waiting.id, waiting.signal, { status: 'WAITING', reason, decision: 'cancelled: ' + reason, sheet: false });
  }
}

/** The bot's working orders sent for this row (told by the row the journal recorded on each). */
function rowWorking(ctx: TradingContext, holdings: Holdings, timeframe: string): WorkingOrder[] {
  const mine = new Set(holdings.orders.filter((o) => ctx.journal.getOrder(o.clientOrderId)?.book === timeframe).map((o) => o.id));
  return holdings.working.filter((w) => mine.has(w.id));
}

/** The symbol's net as it will be once the bot's working orders fill: the broker's position plus those orders. */
function netOf(holdings: Holdings): number {
  return holdings.position + holdings.working.reduce((sum, o) => sum + signedQty(o), 0);
}

/**
 * Sizes and checks the row's entry, if its plan has one: a readable, valid
 * row, not stale, the halt and the breaker, the entry filters (the row's
 * window and cooldown; MAX_OPEN_POSITIONS when the symbol's net is flat), at least one whole share at the
 * sizing price, and MAX_POSITION_USD on the order and on the symbol's
 * resulting net. A refused entry leaves the row where its exit takes it.
 */
async function checkRowEntry(
  ctx: TradingContext,
  job: TradeJob,
  plan: TradePlan & { kind: 'trade' },
  mine: number,
  net: number,
): Promise<CheckedMove> {
  const exitOnly = rowMove(plan, mine);
  if (!exitOnly.enters) return { move: exitOnly, target: exitOnly.target };
  const refuse = (refusal: GuardVerdict): CheckedMove => ({ move: exitOnly, target: exitOnly.exitTo, refusal });
  if (!job.row) return refuse(failed(job.rowProblem ?? 'config unavailable'));
  if (job.row.problem) return refuse(failed(job.row.problem));
  // Row books are whole shares, and a crypto fill's fee leaves the broker fewer coins than any row's book.
  if (isCryptoSymbol(job.signal.symbol)) return refuse(failed(CRYPTO_SHARED_ONLY));
  if (job.late) return refuse(job.late);
  const halted = await ctx.guards.beforeLeg?.('entry');
  if (halted) return refuse(halted);
  const filtered = await ctx.guards.filterEntry?.({
    symbol: job.signal.symbol,
    row: job.row,
    flatSince: Math.abs(mine) < 1e-9 ? flatSinceOfRow(ctx, job) : undefined,
    opensSymbol: Math.abs(net) < 1e-9,
  });
  if (filtered) return refuse(filtered);
  let price: number;
  try {
    price = await sizingPrice(ctx, job.signal);
  } catch (err) {
    return refuse(failed(`no latest price for ${job.signal.symbol}: ${describeError(err)}`));
  }
  const sizing = { ...job.row, stopLossPct: job.row.protection?.stopLossPct };
  let equity: number | undefined;
  try {
    equity = needsEquity(sizing) ? await sizingEquity(ctx) : undefined;
  } catch (err) {
    return refuse(failed(`could not read the account's equity: ${describeError(err)}`));
  }
  const wanted = wantedSize(sizing, equity, price);
  if (!wanted) return refuse(failed(`could not size ${job.signal.symbol}: no equity or price`));
  // A computed size is cut to MAX_POSITION_USD; dollars typed in the cell are left for the cap to refuse, as in shared mode.
  const { shares, capped: cut } = rowEntryShares(wanted, price, typedDollars(sizing) ? undefined : ctx.guards.cutEntryAt);
  if (plan.open && shares < 1) {
    const asked = 'dollars' in wanted ? `position_size $${wanted.dollars}` : 'the size';
    return refuse(failed(`${asked} buys less than 1 share of ${job.signal.symbol} at $${price}`));
  }
  const move = rowMove(plan, mine, shares);
  const capped = ctx.guards.capEntry?.({
    orderValue: Math.abs(move.target - move.exitTo) * price,
    resultingValue: Math.abs(net + move.target - mine) * price,
  });
  if (capped) return refuse(capped);
  return cut === undefined ? { move, target: move.target } : { move, target: move.target, note: cappedNote(cut) };
}

/** When the row's own book went to 0 (ms), the cooldown's start; undefined when it never traded or holds shares. */
function flatSinceOfRow(ctx: TradingContext, job: TradeJob): number | undefined {
  const book = ctx.journal.rowBooks(job.signal.symbol).find((b) => b.timeframe === job.signal.timeframe);
  return book && Math.abs(book.qty) < 1e-9 ? book.changedAt : undefined;
}
