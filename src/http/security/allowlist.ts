import { BlockList, isIP } from 'node:net';
import type { RequestHandler } from 'express';
import type { Logger } from '../../ports';

/** A set of addresses and CIDRs; loopback is always in it. */
export interface Allowlist {
  allows(ip: string | undefined): boolean;
}

/** `::ffff:1.2.3.4` (an IPv4 caller on a dual-stack socket) as `1.2.3.4`; other forms unchanged. */
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

/** Builds the allowlist from checked entries (see `isAddressOrCidr`); loopback is added, never removable. */
export function createAllowlist(entries: readonly string[]): Allowlist {
  const list = new BlockList();
  // The bot's own machine (a local proxy, curl over ssh, the doctor) is never a stranger.
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return {
    allows(ip) {
      if (!ip) return false;
      const bare = normaliseIp(ip);
      const family = isIP(bare);
      return family !== 0 && list.check(bare, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/**
 * Refuses `paths` to callers outside the allowlist with 403 and a log line,
 * before the body is even read. `req.ip` honours X-Forwarded-For only from
 * trusted proxies (Express's `trust proxy`), so the header can't be spoofed.
 */
export function allowlistGuard(allowlist: Allowlist, paths: readonly string[], logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!matchesPath(req.path, paths) || allowlist.allows(req.ip)) return next();
    logger.warn('http.forbidden_source', { ip: req.ip && normaliseIp(req.ip), path: req.path, forwarded_for: req.get('x-forwarded-for') });
    res.status(403).json({ error: 'forbidden' });
  };
}

/**
 * True when `path` is one of `paths` or below it. Compared the way Express
 * routes (case-insensitive, trailing slash ignored), after percent-decoding,
 * so `/CONFIG/` or `/%63onfig` can't slip past a guard that the router would still serve.
 */
export function matchesPath(path: string, paths: readonly string[]): boolean {
  let p = path;
  try {
    p = decodeURIComponent(path);
  } catch {
    // Undecodable: compare it as it came; the router will 400 or 404 it.
  }
  p = p.toLowerCase().replace(/\/+$/, '') || '/';
  return paths.some((base) => p === base || p.startsWith(base + '/'));
}
