import type { Position } from '../../domain/types';
import type { TradingContext } from '../context';
import { filledPart } from '../protection/protection';
import { claimedSide } from '../positions/shared-rows';

const sideOf = (p: Position | null | undefined) => (!p || p.qty === 0 ? undefined : p.qty > 0 ? 'long' : 'short');

/**
 * Shared mode: checks the rows the journal believes hold a position against
 * the broker, side included. When the position is gone (closed outside the
 * bot, or by a stop order) or is on the other side, the row becomes WAITING
 * and the event is logged, once per such outcome. Runs under each symbol's
 * lock so it never races a signal in flight. Returns how many rows it changed.
 */
export async function reconcilePositions(ctx: TradingContext): Promise<number> {
  const believed = ctx.journal.rowsBelievedOpen();
  if (believed.length === 0) return 0;
  const held = new Map((await ctx.broker.listPositions()).map((p) => [p.symbol, sideOf(p)]));
  let changed = 0;
  for (const row of believed.filter((r) => held.get(r.symbol) !== claimedSide(ctx, r))) {
    await ctx.locks.run(row.symbol, async () => {
      // Re-read inside the lock: a signal may have changed the picture while we waited.
      const stillBelieved = ctx.journal.rowsBelievedOpen().find((r) => r.signalId === row.signalId);
      if (!stillBelieved) return;
      const side = sideOf(await ctx.broker.getPosition(row.symbol));
      if (side === claimedSide(ctx, stillBelieved)) return;
      if (!side && (await protectiveFill(ctx, row.signalId))) return;
      ctx.journal.markRetold(row.signalId, ctx.clock.now().getTime());
      const reason = side ? `the broker holds ${row.symbol} ${side}` : 'the position is no longer held at the broker';
      ctx.outbox.post(row.symbol, row.timeframe, 'WAITING', reason);
      ctx.logger.warn(side ? 'reconcile.side_changed' : 'reconcile.position_gone', {
        symbol: row.symbol,
        timeframe: row.timeframe,
        was: row.status,
        held: side,
        signal: row.signalId,
      });
      changed++;
    });
  }
  return changed;
}

/**
 * When one of the signal's protective exits filled unnoticed, its fill is settled now (the row says
 * which, at what price); true when one did.
 */
async function protectiveFill(ctx: TradingContext, signalId: string): Promise<boolean> {
  for (const record of ctx.journal.ordersForSignal(signalId).filter((o) => o.role === 'protective' && o.brokerId)) {
    const order = await ctx.broker.getOrder(record.brokerId!);
    if (!filledPart(order)) continue;
    ctx.orders.onOrder(order);
    await ctx.orders.settleNow(record.clientOrderId);
    return true;
  }
  return false;
}
