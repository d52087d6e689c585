/**
 * What the broker turned down in one lifecycle run: the rejections armed
 * with `rejectNext` and the orders that took them, the refusals armed with
 * `refuse` (an injected 403 for the next market order) and the commands
 * during which they were taken. LifecycleRun asks it whether an intent may
 * have been thwarted, and has it take back what no order took.
 */
import type { FakeAlpaca } from '../../fakes/fake-alpaca';

/** When an intent was sent: the fake's order count and the command's number. */
export interface SentAt {
  since: number;
  step: number;
}

/** The rejections and refusals armed at the fake in one run, and which orders and commands took them. */
export class BrokerRefusals {
  /** Rejections armed with `rejectNext` and not yet taken by an order, and the order count last seen. */
  private armed = 0;
  private seenOrders = 0;
  /** Indices (in `alpaca.orders`, OCO legs left out) of the orders a `rejectNext` picked. */
  readonly rejected = new Set<number>();
  /** Refusals armed with `refuse` (each an injected 403 for the next market order), and the commands during which one was taken. */
  private refusals: { hits: number; remove(): void }[] = [];
  private refusalsTaken = 0;
  private readonly refusedAt: number[] = [];

  /** `accepted` counts the fake's orders accepted as orders; `step` is the number of the command under way. */
  constructor(
    private readonly alpaca: FakeAlpaca,
    private readonly accepted: () => number,
    private readonly step: () => number,
  ) {}

  /** How many armed refusals were taken. */
  get taken(): number {
    return this.refusalsTaken;
  }

  /** Notes which orders took the armed rejections since the last look (the fake hands them out in order). */
  observeRejections(): void {
    const count = this.accepted();
    for (let i = this.seenOrders; i < count && this.armed > 0; i++, this.armed--) this.rejected.add(i);
    this.seenOrders = count;
  }

  /** Notes the command during which an armed refusal was taken. */
  observeRefusals(): void {
    const taken = this.refusals.reduce((sum, f) => sum + f.hits, 0);
    for (; this.refusalsTaken < taken; this.refusalsTaken++) this.refusedAt.push(this.step());
  }

  /**
   * True when the broker refused or rejected something of the bot's since the
   * intent was sent (an order accepted from then on that a `rejectNext`
   * picked, or a refusal taken during that command or later), or one is still armed.
   */
  since(intent: SentAt): boolean {
    this.observeRejections();
    this.observeRefusals();
    const refusalsLeft = this.refusals.length - this.refusalsTaken;
    return (
      this.armed > 0 ||
      refusalsLeft > 0 ||
      [...this.rejected].some((i) => i >= intent.since) ||
      this.refusedAt.some((s) => s >= intent.step)
    );
  }

  /** Arms a rejection of the next order the fake accepts. */
  reject(): void {
    this.observeRejections();
    this.armed++;
    return this.alpaca.rejectNext(1);
  }

  /** Arms a 403 "insufficient buying power" for the next market order. */
  refuse(): void {
    this.refusals.push(
      this.alpaca.inject({
        method: 'POST',
        path: /^\/v2\/orders$/,
        status: 403,
        times: 1,
        body: { code: 40310000, message: 'insufficient buying power' },
        when: (body: any) => body?.type === 'market',
      }),
    );
  }

  /** Takes back the refusals and rejections no order took (after `observeRejections` and `observeRefusals`). */
  disarm(): void {
    for (const f of this.refusals) f.remove();
    this.refusals = this.refusals.filter((f) => f.hits > 0);
    if (this.armed > 0) this.alpaca.rejectNext(-this.armed);
    this.armed = 0;
  }
}
