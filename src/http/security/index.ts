import type { Request, RequestHandler } from 'express';
import type { Clock, Logger } from '../../ports';
import type { SafetySettings } from '../../settings/safety';
import { allowlistGuard, createAllowlist } from './allowlist';
import { BadSecretLimiter } from './bad-secret-limiter';
import { PROTECTED_PATHS, presentedToken, requireToken, tokenChecker } from './bearer';
import { identifyCredential } from './credentials';
import { securityHeaders } from './headers';
import { generalRateLimit } from './rate-limit';

/** The doors, ready to hand to `createApp`. */
export interface Security {
  /** Middleware before the body is read: headers, then the address allowlist (a stranger's body is never read). */
  beforeBody: RequestHandler[];
  /** Middleware once the body is read: credential check, general limit, lock-out, bearer token. */
  afterBody: RequestHandler[];
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

/** Builds the doors from the settings, the webhook secret and the API token (set, or generated in local mode). */
export function createSecurity(o: { safety: SafetySettings; secret: string; apiToken: string; clock: Clock; logger: Logger }): Security {
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
    // /health with a wrong token is a way to test tokens, so it counts toward the lock-out;
    // the right token always shows the details.
    mayReadDetails: (req) => {
      if (presentedToken(req) === undefined) return false;
      if (hasToken(req)) return true;
      limiter.fail(req.ip);
      return false;
    },
    beforeBody: [...securityHeaders(), ...(allowlist ? [allowlistGuard(allowlist, ['/webhook'], logger)] : [])],
    afterBody: [
      identifyCredential({ secret: o.secret, hasToken, presentsToken: (req) => presentedToken(req) !== undefined }),
      generalRateLimit(safety.rateLimitPerMinute, logger),
      limiter.guard(['/webhook', ...PROTECTED_PATHS]),
      requireToken(hasToken, (req) => limiter.fail(req.ip), logger),
    ],
  };
}

export { PROTECTED_PATHS } from './bearer';
