import { findRow } from '../../domain/trading/config-table';
import { describeError } from '../../domain/errors';
import type { SignalRecord } from '../../ports';
import type { GuardVerdict, TradingContext } from '../context';
import { startTrade } from './execute-trade';
import { conclude } from '../outcome';
import type { TradeJob } from '../trade-job';

/**
 * Trades a journaled signal again, as a new signal would be, from its row as
 * it is now (the caller holds the symbol's lock): after a restart stopped it
 * before any order reached the broker (`why`; an entry older than
 * FLIP_RESUME_MAX_AGE is then refused, its exits still go), or when the
 * queued order it waited behind has ended (`why` undefined: like an order
 * queued at the broker, it goes however long the wait was).
 */
export async function rerunSignal(ctx: TradingContext, record: SignalRecord, why?: string): Promise<void> {
  if (ctx.journal.getSignal(record.id)?.state !== 'working') return; // ended meanwhile (POST /flatten)
  const job = await jobWithRow(ctx, record);
  if (!job) return;
  const age = ctx.clock.now().getTime() - record.receivedAt;
  const late: GuardVerdict | undefined =
    why && age > ctx.timings.flipResumeMaxAgeMs
      ? { status: 'FAILED', reason: `not opened: ${why} and the signal is ${Math.round(age / 1000)}s old`, sheetStatus: 'FAILED' }
      : undefined;
  ctx.logger.info('signal.rerun', { signal: record.id, age_s: Math.round(age / 1000), why: why ?? 'the order it waited behind ended' });
  const start = await startTrade(ctx, { ...job, late: job.late ?? late });
  await start.rest;
}

/** A re-run decides as a new signal would: from the row as it is now (ending the signal when it has none, or it is off). */
async function jobWithRow(ctx: TradingContext, record: SignalRecord): Promise<TradeJob | undefined> {
  try {
    const { table } = await ctx.config.readFor(ctx.clock.now().getTime());
    const row = findRow(table, record.signal.symbol, record.signal.timeframe);
    if (!row)
      conclude(ctx, record.id, record.signal, { status: 'ignored', reason: 'no Config row', decision: 'recovered: ignored', sheet: false });
    else if (!row.active) conclude(ctx, record.id, record.signal, { status: 'INACTIVE', decision: 'recovered: row inactive', sheet: true });
    return row?.active ? { signalId: record.id, signal: record.signal, row } : undefined;
  } catch (err) {
    return { signalId: record.id, signal: record.signal, rowProblem: `config unavailable: ${describeError(err)}` };
  }
}
