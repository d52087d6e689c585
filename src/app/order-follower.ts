import { describeError } from '../domain/errors';
import type { Order } from '../domain/types';
import { awaitFinal, type OrderDeps } from './place-order';

/**
 * Follows orders in the background until they are filled or failed (a day
 * order sent while the market is closed may wait hours), then runs the
 * given settlement. Each order is followed once, however often it is handed in.
 */
export class OrderFollower {
  private following = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: OrderDeps, private readonly maxPollMs = 15_000) {}

  /** Starts following `order` unless it is already followed; `settle` runs once with its final state. `maxPollMs` spaces the polls of long-lived orders. */
  follow(order: Order, settle: (final: Order) => Promise<void> | void, maxPollMs = this.maxPollMs): void {
    if (this.following.has(order.clientOrderId)) return;
    const run = this.track(order, maxPollMs)
      .then(async (final) => {
        if (final) await settle(final);
      })
      .catch((err) => this.deps.logger.error('order.follow_failed', { client_order_id: order.clientOrderId, error: describeError(err) }))
      .finally(() => this.following.delete(order.clientOrderId));
    this.following.set(order.clientOrderId, run);
  }

  /** Stops polling; unfinished orders stay in the journal and are picked up at the next start. */
  stop(): void {
    this.stopped = true;
  }

  /** True while `clientOrderId` is being followed. */
  isFollowing(clientOrderId: string): boolean {
    return this.following.has(clientOrderId);
  }

  private async track(order: Order, maxPollMs: number): Promise<Order | undefined> {
    let current = order;
    // After the first window, poll at the slowest pace rather than starting a new burst each window.
    let firstPause = 25;
    while (current.state === 'open') {
      if (this.stopped) return undefined;
      current = await awaitFinal(this.deps, current, Math.max(30_000, maxPollMs * 2), maxPollMs, () => this.stopped, firstPause);
      firstPause = maxPollMs;
    }
    return current;
  }
}
