import type { Request, RequestHandler } from 'express';
import type { Clock, Logger } from '../../ports';
import type { SafetySettings } from '../../settings/safety';
import { allowlistGuard, createAllowlist } from './allowlist';
import { BadSecretLimiter } from './bad-secret-limiter';
import { PROTECTED_PATHS, presentedToken, requireToken, tokenChecker } from './bearer';
import { securityHeaders } from './headers';
import { generalRateLimit } from './rate-limit';

/** The doors, ready to hand to `createApp`. */
export interface Security {
  /** Middleware in order: headers, general limit, address allowlist, lock-out, bearer token. */
  before: RequestHandler[];
  /** Express's `trust proxy` value. */
  trustProxy: false | string[];
  /** For the webhook route: a wrong or missing secret. */
  onBadSecret(req: Request): void;
  /** True when the request carries the API token; a wrong one counts toward the lock-out. */
  mayReadDetails(req: Request): boolean;
  /** True when the request carries the API token (no counting). */
  hasToken(req: Request): boolean;
  limiter: BadSecretLimiter;
}

/** Builds the doors from the settings and the API token (set, or generated in local mode). */
export function createSecurity(o: { safety: SafetySettings; apiToken: string; clock: Clock; logger: Logger }): Security {
  const { safety, logger } = o;
  const limiter = new BadSecretLimiter(safety.badSecretLimit, o.clock, logger);
  const hasToken = tokenChecker(o.apiToken);
  const allowlist = safety.allowedIps && createAllowlist(safety.allowedIps);
  if (!allowlist) logger.warn('http.allowlist_off', { note: 'any address may call /webhook; set WEBHOOK_ALLOWED_IPS=tradingview' });
  return {
    trustProxy: safety.trustProxy,
    limiter,
    hasToken,
    onBadSecret: (req) => limiter.fail(req.ip),
    // /health with a token is a way to test tokens, so it obeys the same lock-out.
    mayReadDetails: (req) => {
      if (presentedToken(req) === undefined || limiter.lockedFor(req.ip) > 0) return false;
      if (hasToken(req)) return true;
      limiter.fail(req.ip);
      return false;
    },
    before: [
      ...securityHeaders(),
      generalRateLimit(safety.rateLimitPerMinute, logger),
      ...(allowlist ? [allowlistGuard(allowlist, ['/webhook'], logger)] : []),
      limiter.guard(['/webhook', ...PROTECTED_PATHS]),
      requireToken(hasToken, (req) => limiter.fail(req.ip), logger),
    ],
  };
}

export { PROTECTED_PATHS } from './bearer';
