import type { RequestHandler } from 'express';
import type { Clock, Logger } from '../../ports';
import { matchesPath, normaliseIp } from './allowlist';
import { isTrusted } from './credentials';

/** How long failures are remembered, and how long a lock-out lasts. */
export const BAD_SECRET_WINDOW_MS = 15 * 60_000;
/** Bounds the memory a flood of addresses can take; the oldest entries go first. */
const MAX_TRACKED = 10_000;

/**
 * Counts wrong webhook secrets and API tokens per address. Past `limit`
 * failures within the window the address's further wrong or missing
 * credentials get 429 for the rest of the window, so guessing stays hopeless.
 * A request with the right secret or token always passes: many traders share
 * an address (TradingView sends every user's alerts from four), and a stranger
 * must never be able to lock the trader out of their own bot.
 */
export class BadSecretLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Records one wrong secret or token from `ip`. */
  fail(ip: string | undefined): void {
    const key = normaliseIp(ip ?? 'unknown');
    const now = this.clock.now().getTime();
    const entry = this.live(key, now) ?? { count: 0, since: now };
    entry.count++;
    this.failures.delete(key);
    this.failures.set(key, entry);
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
    if (entry.count === this.limit)
      this.logger.warn('http.locked_out', { ip: key, failures: entry.count, minutes: BAD_SECRET_WINDOW_MS / 60_000 });
  }

  /** Milliseconds until `ip` may try again; 0 when it is not locked out. */
  lockedFor(ip: string | undefined): number {
    const now = this.clock.now().getTime();
    const entry = this.live(normaliseIp(ip ?? 'unknown'), now);
    return entry && entry.count >= this.limit ? entry.since + BAD_SECRET_WINDOW_MS - now : 0;
  }

  /**
   * Answers 429 on `paths` to a locked-out address, unless the request carries
   * the right secret or token (see `identifyCredential`, which must run first).
   * The answer says when the lock-out ends.
   */
  guard(paths: readonly string[]): RequestHandler {
    return (req, res, next) => {
      const wait = matchesPath(req.path, paths) && !isTrusted(res) ? this.lockedFor(req.ip) : 0;
      if (wait <= 0) return next();
      const seconds = Math.ceil(wait / 1000);
      const until = new Date(this.clock.now().getTime() + wait).toISOString();
      res.set('Retry-After', String(seconds));
      res.status(429).json({
        error: `too many wrong secrets or tokens from this address; locked out until ${until}`,
        locked_until: until,
        retry_after_s: seconds,
      });
    };
  }

  private live(key: string, now: number): { count: number; since: number } | undefined {
    const entry = this.failures.get(key);
    if (entry && now - entry.since >= BAD_SECRET_WINDOW_MS) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
