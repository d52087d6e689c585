import { DateTime } from 'luxon';
import { sendAll } from '../../shared/send-all';
import { describeError } from '../../domain/errors';
import type { Account } from '../../domain/types';
import type { Broker, Clock, Logger, Notifier, StateStore } from '../../ports';
import type { GuardVerdict } from '../context';
import { withRetry } from '../../shared/retry';
import type { MarketClockCache } from './market-clock';

/** A tripped breaker: the loss that tripped it, and when entries may start again (ms). */
export interface BreakerTrip {
  at: string;
  until: number;
  equity: number;
  lastEquity: number;
  loss: number;
  lossPct: number;
}

/** What the breaker needs; at least one of the limits turns it on. */
export interface LossBreakerDeps {
  broker: Broker;
  store: StateStore;
  clock: Clock;
  logger: Logger;
  notifiers: readonly Notifier[];
  marketClock: MarketClockCache;
  maxLossUsd?: number;
  maxLossPct?: number;
}

const KEY = 'breaker.daily_loss';
/** Entries of one burst share an account reading. */
const ACCOUNT_MAX_AGE_MS = 5_000;
const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * The daily loss breaker. Before each new entry it compares equity with the
 * previous close (`last_equity`); past the limit it trips: entries are refused
 * until the next session opens (by the broker's clock), closes still go
 * through, and one alert goes to every configured channel. The trip is kept
 * in the journal, so a restart doesn't re-arm it early.
 */
export class LossBreaker {
  private account?: { at: number; value: Promise<Account> };
  private serial: Promise<unknown> = Promise.resolve();
  private readonly listeners: ((trip: BreakerTrip) => void)[] = [];

  constructor(private readonly deps: LossBreakerDeps) {}

  /** Calls `listener` when the breaker trips, so the sheet can show the halt at once. */
  onTrip(listener: (trip: BreakerTrip) => void): void {
    this.listeners.push(listener);
  }

  /** Why entries are refused while `trip` holds: the answer's and the sheet's reason. */
  describe(trip: BreakerTrip): string {
    return verdict(trip).reason;
  }

  /** True when a limit is set. */
  get enabled(): boolean {
    return this.deps.maxLossUsd !== undefined || this.deps.maxLossPct !== undefined;
  }

  /** The trip in force now, if any. */
  activeTrip(): BreakerTrip | undefined {
    const saved = this.deps.store.get(KEY);
    if (!saved) return undefined;
    const trip = JSON.parse(saved) as BreakerTrip;
    return this.deps.clock.now().getTime() < trip.until ? trip : undefined;
  }

  /** Refuses an entry while tripped, tripping first if the loss is past a limit. One check at a time, so one alert per trip. */
  check(): Promise<GuardVerdict | undefined> {
    const run = this.serial.then(() => this.evaluate());
    this.serial = run.catch(() => undefined);
    return run;
  }

  private async evaluate(): Promise<GuardVerdict | undefined> {
    if (!this.enabled) return undefined;
    const active = this.activeTrip();
    if (active) return verdict(active);
    let account: Account;
    try {
      account = await this.readAccount();
    } catch (err) {
      return { status: 'FAILED', reason: `account unavailable for the loss check: ${describeError(err)}`, sheetStatus: 'FAILED' };
    }
    const loss = account.lastEquity - account.equity;
    const lossPct = account.lastEquity > 0 ? (loss / account.lastEquity) * 100 : 0;
    const { maxLossUsd, maxLossPct } = this.deps;
    const breached = (maxLossUsd !== undefined && loss >= maxLossUsd) || (maxLossPct !== undefined && lossPct >= maxLossPct);
    if (!breached) return undefined;
    const trip: BreakerTrip = {
      at: this.deps.clock.now().toISOString(),
      until: await this.nextSessionStart(),
      equity: account.equity,
      lastEquity: account.lastEquity,
      loss: Math.round(loss * 100) / 100,
      lossPct: Math.round(lossPct * 100) / 100,
    };
    this.deps.store.set(KEY, JSON.stringify(trip));
    this.deps.logger.warn('breaker.tripped', { ...trip, until: new Date(trip.until).toISOString() });
    for (const listener of this.listeners) {
      try {
        listener(trip);
      } catch {
        // The trip stands whatever a listener does.
      }
    }
    void sendAll(
      this.deps.notifiers,
      {
        kind: 'alert',
        title: `Daily loss breaker tripped: down ${usd(trip.loss)} (${trip.lossPct}%)`,
        text: [
          `Equity ${usd(trip.equity)} against ${usd(trip.lastEquity)} at the previous close.`,
          `Limit: ${[maxLossUsd !== undefined && usd(maxLossUsd), maxLossPct !== undefined && `${maxLossPct}%`]
            .filter(Boolean)
            .join(' or ')}.`,
          `New entries are refused until ${new Date(trip.until).toISOString()}; CLOSE signals and POST /flatten still work.`,
        ].join('\n'),
      },
      this.deps.logger,
    );
    return verdict(trip);
  }

  private readAccount(): Promise<Account> {
    const now = this.deps.clock.now().getTime();
    if (!this.account || now - this.account.at > ACCOUNT_MAX_AGE_MS) {
      const value = withRetry(this.deps.clock, () => this.deps.broker.getAccount());
      this.account = { at: now, value };
      value.catch(() => (this.account = undefined));
    }
    return this.account.value;
  }

  /** The next session's open by the broker's clock; midnight New York when it has no sessions (the paper broker). */
  private async nextSessionStart(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    try {
      const next = Date.parse((await this.deps.marketClock.read()).nextOpen);
      if (next > now) return next;
    } catch (err) {
      this.deps.logger.warn('breaker.clock_unavailable', { error: describeError(err) });
    }
    return DateTime.fromMillis(now).setZone('America/New_York').plus({ days: 1 }).startOf('day').toMillis();
  }
}

function verdict(trip: BreakerTrip): GuardVerdict {
  const reason =
    `daily loss breaker: down ${usd(trip.loss)} (${trip.lossPct}%) since the previous close; ` +
    `new entries halted until ${new Date(trip.until).toISOString()}`;
  return { status: 'halted', reason, sheetStatus: 'HALTED' };
}
