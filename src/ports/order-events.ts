import type { Order } from '../domain/types';

/** How order updates reach the app: pushed by the broker's stream, or read by polling. */
export type OrderEventState = 'stream' | 'polling';

/** What an OrderEventSource calls; it never awaits them, and a throw is logged, not propagated. */
export interface OrderEventHandlers {
  /**
   * An order changed: `order` as it is now, `event` the broker's word (`new`, `fill`,
   * `partial_fill`, `canceled`, …); events can repeat, so apply them idempotently.
   */
  onOrder(order: Order, event: string): void;
  /**
   * The state changed. With 'stream', `since` is when events may first have been missed (the
   * stream last went down, or start-up, less a safety margin): the app catches up by reading the orders it follows.
   * With 'polling', `since` is when the stream went down (or start-up, when it never came up).
   */
  onState(state: OrderEventState, since: Date): void;
}

/** Where order events come from: the broker's push stream, or nothing (the app polls). */
export interface OrderEventSource {
  /**
   * Starts delivering to `handlers`: 'stream' once subscribed, 'polling' when the stream is down or
   * can't connect (reconnecting meanwhile). Once only.
   */
  start(handlers: OrderEventHandlers): void;
  /** Closes the connection; no more calls after it resolves. */
  stop(): Promise<void>;
  /** 'stream' while subscribed, else 'polling'. */
  readonly state: OrderEventState;
}
