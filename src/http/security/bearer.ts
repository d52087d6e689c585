import type { Request, RequestHandler } from 'express';
import type { Logger } from '../../ports';
import { secretMatches } from '../secret';
import { matchesPath } from './allowlist';

/**
 * Every endpoint that needs `Authorization: Bearer $API_TOKEN`. A new read
 * or control endpoint must be added here; tests call each one without it.
 */
export const PROTECTED_PATHS = ['/config', '/positions', '/performance', '/signals', '/halt', '/resume', '/flatten'] as const;

/** The token presented as `Authorization: Bearer <token>`, or undefined. */
export function presentedToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/** True when the request carries the API token (compared in constant time). */
export function tokenChecker(token: string): (req: Request) => boolean {
  return (req) => secretMatches(presentedToken(req), token);
}

/** 401 on the protected paths without the right token; each miss is reported to `onBadToken`. */
export function requireToken(hasToken: (req: Request) => boolean, onBadToken: (req: Request) => void, logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!matchesPath(req.path, PROTECTED_PATHS) || hasToken(req)) return next();
    onBadToken(req);
    logger.warn('http.unauthorized', { ip: req.ip, method: req.method, path: req.path, token_sent: presentedToken(req) !== undefined });
    res.set('WWW-Authenticate', 'Bearer').status(401).json({ error: 'unauthorized: send Authorization: Bearer <API_TOKEN>' });
  };
}
