import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers for an API that only ever answers JSON: nothing may be
 * framed, scripted or sniffed, and no answer (positions, equity) is cached.
 */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store');
      next();
    },
  ];
}
