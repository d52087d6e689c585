import type { RequestHandler } from 'express';
import type { Clock, Logger } from '../../ports';
import { matchesPath, normaliseIp } from './allowlist';

/** How long failures are remembered, and how long a lock-out lasts. */
export const BAD_SECRET_WINDOW_MS = 15 * 60_000;
/** Bounds the memory a flood of addresses can take; the oldest entries go first. */
const MAX_TRACKED = 10_000;

/**
 * Counts wrong webhook secrets and API tokens per address. Past `limit`
 * failures within the window the address is locked out (429) for the rest of
 * the window, right secret or not, so guessing stays hopeless.
 */
export class BadSecretLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly limit: number, private readonly clock: Clock, private readonly logger: Logger) {}

  /** Records one wrong secret or token from `ip`. */
  fail(ip: string | undefined): void {
    const key = normaliseIp(ip ?? 'unknown');
    const now = this.clock.now().getTime();
    const entry = this.live(key, now) ?? { count: 0, since: now };
    entry.count++;
    this.failures.delete(key);
    this.failures.set(key, entry);
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
    if (entry.count === this.limit) this.logger.warn('http.locked_out', { ip: key, failures: entry.count, minutes: BAD_SECRET_WINDOW_MS / 60_000 });
  }

  /** Milliseconds until `ip` may try again; 0 when it is not locked out. */
  lockedFor(ip: string | undefined): number {
    const now = this.clock.now().getTime();
    const entry = this.live(normaliseIp(ip ?? 'unknown'), now);
    return entry && entry.count >= this.limit ? entry.since + BAD_SECRET_WINDOW_MS - now : 0;
  }

  /** Answers 429 on `paths` to a locked-out address, before any secret is compared. */
  guard(paths: readonly string[]): RequestHandler {
    return (req, res, next) => {
      const wait = matchesPath(req.path, paths) ? this.lockedFor(req.ip) : 0;
      if (wait <= 0) return next();
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      res.status(429).json({ error: 'too many wrong secrets; try again later' });
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
