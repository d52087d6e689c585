import { newYorkDate, type Session, sessionAt, type TradingDay } from '../../domain/trading/session';
import type { Broker, Clock } from '../../ports';
import { withRetry } from '../../shared/retry';

/**
 * The broker's calendar, read once per New York date: which session
 * (pre-market, regular, after-hours, closed) a moment is in. A day's
 * sessions don't change once published, so one read a day serves every
 * alert; a failed read is not kept, and the next call tries again.
 */
export class MarketSessions {
  private cached?: { date: string; day: TradingDay | null };
  private inFlight?: { date: string; read: Promise<TradingDay | null> };

  constructor(
    private readonly broker: Broker,
    private readonly clock: Clock,
  ) {}

  /** The session now; throws when the calendar can't be read. */
  async now(): Promise<Session> {
    const now = this.clock.now();
    return sessionAt(await this.day(newYorkDate(now)), now);
  }

  /** The trading day of `date` (null: the market does not trade that day). */
  private day(date: string): Promise<TradingDay | null> {
    if (this.cached?.date === date) return Promise.resolve(this.cached.day);
    if (this.inFlight?.date === date) return this.inFlight.read;
    const read = withRetry(this.clock, () => this.broker.getTradingDay(date)).then(
      (day) => {
        this.cached = { date, day };
        this.inFlight = undefined;
        return day;
      },
      (err: unknown) => {
        this.inFlight = undefined;
        throw err;
      },
    );
    this.inFlight = { date, read };
    return read;
  }
}
