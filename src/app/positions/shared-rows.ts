import { targetOf } from '../../domain/trading/trade-plan';
import type { TradingContext } from '../context';
import { jobLabel, type TradeJob } from '../trade-job';

/** The side a row's latest status claims the account holds. */
export function claimedSide(ctx: TradingContext, row: { signalId: string; status: string }): 'long' | 'short' | undefined {
  if (row.status === 'ALREADY LONG') return 'long';
  if (row.status === 'ALREADY SHORT') return 'short';
  const signal = ctx.journal.getSignal(row.signalId)?.signal;
  const target = signal && targetOf(signal);
  return target?.kind === 'side' || target?.kind === 'scale' ? target.side : undefined;
}

/**
 * A position is shared by every row of its symbol. After `job` left the
 * symbol `held` (a side, or flat), the other rows whose status claims another
 * side become WAITING "closed by <timeframe> <action>". Call it right after the
 * job's own status is posted, so both land in the same outbox batch.
 */
export function retellSharedRows(ctx: TradingContext, job: TradeJob, held: 'long' | 'short' | undefined): void {
  const by = `closed by ${jobLabel(job)}`;
  for (const row of ctx.journal.rowsBelievedOpen()) {
    if (row.symbol !== job.signal.symbol || row.timeframe === job.signal.timeframe) continue;
    if (claimedSide(ctx, row) === held) continue;
    ctx.journal.markRetold(row.signalId, ctx.clock.now().getTime());
    ctx.outbox.post(row.symbol, row.timeframe, 'WAITING', by);
    ctx.logger.info('rows.shared_position_changed', { symbol: row.symbol, timeframe: row.timeframe, was: row.status, reason: by });
  }
}
