/**
 * Checks the `Authorization: Bearer <JWT>` a service account sends with
 * self-signed JWT access: RS256, signed by the account's key, iss = sub = the
 * account's email, not expired. Its scope claim (or the Sheets audience)
 * decides what it may do. The fake never issues access tokens, so any other bearer fails.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

const SCOPE_BASE = 'https://www.googleapis.com/auth/';
const WRITE_SCOPES = ['spreadsheets', 'drive', 'drive.file'].map((s) => SCOPE_BASE + s);
const READ_SCOPES = [...WRITE_SCOPES, ...['spreadsheets.readonly', 'drive.readonly'].map((s) => SCOPE_BASE + s)];
const AUDIENCE = 'https://sheets.googleapis.com/';
const SKEW_S = 300;

/** Who called, after a valid JWT. */
export interface Caller {
  email: string;
  /** The JWT's scope claim split on spaces; empty when it used an audience instead. */
  scopes: string[];
  canRead: boolean;
  canWrite: boolean;
}

/** The verdict; `reason` says why a token was refused (for the request log, never sent). */
export type AuthResult = { ok: true; caller: Caller } | { ok: false; reason: string };

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies bearer JWTs for one service account. */
export class JwtVerifier {
  private readonly key: KeyObject;

  constructor(
    private readonly email: string,
    publicKeyPem: string,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.key = createPublicKey(publicKeyPem);
  }

  /** Checks the header value of `Authorization`. */
  check(authorization: string | undefined): AuthResult {
    const m = /^Bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(authorization ?? '');
    if (!m) return { ok: false, reason: 'no bearer JWT' };
    const [, h, p, s] = m;
    const header = decodeJson(h);
    const claims = decodeJson(p);
    if (!header || !claims) return { ok: false, reason: 'JWT is not JSON' };
    if (header.alg !== 'RS256') return { ok: false, reason: `alg ${String(header.alg)} is not RS256` };
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.key, Buffer.from(s, 'base64url'))) {
      return { ok: false, reason: 'bad signature (wrong private key?)' };
    }
    if (claims.iss !== this.email || claims.sub !== this.email) {
      return { ok: false, reason: `iss/sub ${String(claims.iss)} is not ${this.email}` };
    }
    const now = this.nowMs() / 1000;
    const exp = Number(claims.exp);
    const iat = Number(claims.iat);
    if (!(exp > now - SKEW_S) || !(iat < now + SKEW_S) || exp - iat > 3600) {
      return { ok: false, reason: 'expired or badly dated JWT' };
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
    const audienceOk = claims.aud === AUDIENCE;
    // A valid token with the wrong scopes is a 403 (insufficient scopes), not a 401.
    const canRead = audienceOk || scopes.some((x) => READ_SCOPES.includes(x));
    const canWrite = audienceOk || scopes.some((x) => WRITE_SCOPES.includes(x));
    return { ok: true, caller: { email: this.email, scopes, canRead, canWrite } };
  }
}
