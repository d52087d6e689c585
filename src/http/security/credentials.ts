import type { Request, RequestHandler, Response } from 'express';
import { SECRET_FIELDS } from '../../domain/signal/parse-signal';
import { secretMatches } from '../secret';
import { matchesPath } from './allowlist';

/**
 * What a request proved about itself: the right webhook secret (on /webhook),
 * the right API token, a wrong one of either, or nothing at all.
 */
export type Credential = 'secret' | 'token' | 'wrong' | 'none';

/** The presented webhook secret: the X-Webhook-Secret header, else `secret` or `passphrase` in the body. */
export function presentedSecret(req: Request, body: Record<string, unknown>): unknown {
  const header = req.get('x-webhook-secret');
  if (header) return header;
  for (const key of SECRET_FIELDS) if (body[key] !== undefined) return body[key];
  return undefined;
}

/** The JSON object in a text body, or an empty one (a malformed body is the webhook route's 400 to give). */
function jsonBody(req: Request): Record<string, unknown> {
  if (typeof req.body !== 'string' || req.body.trim() === '') return {};
  try {
    const body = JSON.parse(req.body);
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  } catch {
    return {};
  }
}

/** The credential the security middleware found on this request (see `identifyCredential`). */
export function credentialOf(res: Response): Credential {
  return (res.locals.credential as Credential | undefined) ?? 'none';
}

/** True when the request carries a right secret or token: such a request is never rate limited or locked out. */
export function isTrusted(res: Response): boolean {
  const c = credentialOf(res);
  return c === 'secret' || c === 'token';
}

/**
 * Runs after the body is read and before any limit: notes in `res.locals`
 * whether the request carries the right webhook secret (on /webhook) or the
 * right API token. Compared in constant time; nothing is refused here.
 */
export function identifyCredential(o: {
  secret: string;
  hasToken: (req: Request) => boolean;
  presentsToken: (req: Request) => boolean;
}): RequestHandler {
  return (req, res, next) => {
    let credential: Credential = 'none';
    if (o.presentsToken(req)) credential = o.hasToken(req) ? 'token' : 'wrong';
    if (credential !== 'token' && req.method === 'POST' && matchesPath(req.path, ['/webhook'])) {
      const presented = presentedSecret(req, jsonBody(req));
      if (presented !== undefined) credential = secretMatches(presented, o.secret) ? 'secret' : 'wrong';
    }
    res.locals.credential = credential;
    next();
  };
}
