/**
 * The doors and brakes: who may call the server, and what stops a trade.
 * Parsed once at start-up; every mistake is a problem (see env.ts) that names
 * the variable and the fix.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { bool, type Env, list, num, oneOf, optional, optionalNum, problem } from './env';

/** TradingView's published webhook source addresses (IPv4 only). */
export const TRADINGVIEW_IPS = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'] as const;

/** Every door and brake setting. */
export interface SafetySettings {
  /** The address to listen on; undefined = every interface. 127.0.0.1 behind a proxy on this machine. */
  listenHost?: string;
  /** Addresses and CIDRs that may POST /webhook (loopback always may); undefined lets any source in. */
  allowedIps?: string[];
  /** Proxies whose X-Forwarded-For is believed (`loopback`, addresses, CIDRs); false ignores the header. */
  trustProxy: false | string[];
  /** Bearer token for the read and control endpoints; unset only in local mode, where one is generated. */
  apiToken?: string;
  /** Serve HTTPS directly with these PEM files. */
  tls?: { certFile: string; keyFile: string };
  /** false starts the server halted. */
  tradingEnabled: boolean;
  /** true also refuses CLOSE signals while halted. */
  haltBlocksClose: boolean;
  maxPositionUsd?: number;
  /** How many symbols may be held at once: an entry that would open one more waits; undefined = no cap. */
  maxOpenPositions?: number;
  maxDailyLossUsd?: number;
  maxDailyLossPct?: number;
  /** Oldest accepted fire time (`timenow`), in seconds; 0 turns the check off. */
  maxSignalAgeSeconds: number;
  /** `reject`: no orders while the market is closed; `queue`: let Alpaca hold day orders for the open. */
  offHoursPolicy: 'reject' | 'queue';
  /** Requests a minute per address, all routes together. */
  rateLimitPerMinute: number;
  /** Wrong secrets or tokens from one address within 15 minutes before it is locked out. */
  badSecretLimit: number;
}

/** True for an IPv4/IPv6 address or a CIDR such as `10.0.0.0/8`. */
export function isAddressOrCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

function parseAllowedIps(env: Env, alpacaConfigured: boolean): string[] | undefined {
  const entries = list(env, 'WEBHOOK_ALLOWED_IPS');
  // With real money behind it the door starts closed to all but TradingView; local mode stays open for curl.
  if (entries.length === 0) return alpacaConfigured ? [...TRADINGVIEW_IPS] : undefined;
  if (entries.some((e) => ['any', '*'].includes(e.toLowerCase()))) return undefined;
  return entries.flatMap((e) => {
    if (e.toLowerCase() === 'tradingview') return [...TRADINGVIEW_IPS];
    if (!isAddressOrCidr(e)) {
      return problem(
        env,
        `WEBHOOK_ALLOWED_IPS: "${e}" is not an address or CIDR. Use e.g. "tradingview,203.0.113.7,10.0.0.0/8", or "any".`,
        [],
      );
    }
    return [e];
  });
}

function parseTrustProxy(env: Env): false | string[] {
  const v = optional(env, 'TRUST_PROXY');
  if (v === undefined) return false;
  if (/^(true|false|1|0|yes|no|on|off)$/i.test(v)) return bool(env, 'TRUST_PROXY', false) ? ['loopback'] : false;
  // A hop count is not accepted: miscounted, it lets a caller pick its own address.
  return list(env, 'TRUST_PROXY').flatMap((e) => {
    if (e.toLowerCase() === 'loopback' || isAddressOrCidr(e)) return [e];
    return problem(env, `TRUST_PROXY: "${e}" is not an address or CIDR. Use true (a proxy on this machine) or the proxy's address.`, []);
  });
}

function parseApiToken(env: Env, alpacaConfigured: boolean, webhookSecret?: string): string | undefined {
  const token = optional(env, 'API_TOKEN');
  if (!token) {
    if (alpacaConfigured) {
      problem(
        env,
        'API_TOKEN is not set. With Alpaca configured it guards /config, /positions, ' +
          '/halt and /flatten: set a long random value, e.g. `openssl rand -hex 32`.',
        undefined,
      );
    }
    return undefined;
  }
  if (token.length < 16) return problem(env, 'API_TOKEN is shorter than 16 characters. Use e.g. `openssl rand -hex 32`.', undefined);
  if (token === webhookSecret) {
    return problem(
      env,
      'API_TOKEN equals WEBHOOK_SECRET. The secret is stored at TradingView; give the token its own value, e.g. `openssl rand -hex 32`.',
      undefined,
    );
  }
  return token;
}

function parseTls(env: Env): SafetySettings['tls'] {
  const cert = optional(env, 'TLS_CERT_FILE');
  const key = optional(env, 'TLS_KEY_FILE');
  if (!cert && !key) return undefined;
  if (!cert || !key)
    return problem(
      env,
      'TLS_CERT_FILE and TLS_KEY_FILE must be set together (PEM certificate chain and private key), or neither.',
      undefined,
    );
  const missing = (
    [
      ['TLS_CERT_FILE', cert],
      ['TLS_KEY_FILE', key],
    ] as const
  ).filter(([, file]) => !existsSync(resolve(file)));
  for (const [name, file] of missing) problem(env, `${name} points to ${resolve(file)}, which does not exist.`, undefined);
  if (missing.length > 0) return undefined;
  return { certFile: resolve(cert), keyFile: resolve(key) };
}

/** MAX_OPEN_POSITIONS: a whole number from 1; unset = no cap. */
function parseMaxOpenPositions(env: Env): number | undefined {
  const v = optional(env, 'MAX_OPEN_POSITIONS');
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 10_000) return Number(v);
  return problem(
    env,
    `MAX_OPEN_POSITIONS="${v}" is not a whole number of symbols from 1 to 10000. ` +
      'Use e.g. MAX_OPEN_POSITIONS=5, or leave it unset for no cap.',
    undefined,
  );
}

/** Parses the door and brake settings; `core` says whether real money is configured. */
export function parseSafetySettings(env: Env, core: { alpacaConfigured: boolean; webhookSecret?: string }): SafetySettings {
  const listenHost = optional(env, 'LISTEN_HOST');
  const badHost = listenHost !== undefined && isIP(listenHost) === 0;
  if (badHost)
    problem(
      env,
      `LISTEN_HOST="${listenHost}" is not an IP address. Use 127.0.0.1 behind a proxy on this machine, or leave it unset.`,
      undefined,
    );
  return {
    listenHost: badHost ? undefined : listenHost,
    allowedIps: parseAllowedIps(env, core.alpacaConfigured),
    trustProxy: parseTrustProxy(env),
    apiToken: parseApiToken(env, core.alpacaConfigured, core.webhookSecret),
    tls: parseTls(env),
    tradingEnabled: bool(env, 'TRADING_ENABLED', true),
    haltBlocksClose: bool(env, 'HALT_BLOCKS_CLOSE', false),
    maxPositionUsd: optionalNum(env, 'MAX_POSITION_USD', 0.01),
    maxOpenPositions: parseMaxOpenPositions(env),
    maxDailyLossUsd: optionalNum(env, 'MAX_DAILY_LOSS_USD', 0.01),
    maxDailyLossPct: optionalNum(env, 'MAX_DAILY_LOSS_PCT', 0.01, 100),
    maxSignalAgeSeconds: num(env, 'MAX_SIGNAL_AGE_SECONDS', 120, 0, 86_400),
    offHoursPolicy: oneOf(env, 'OFF_HOURS_POLICY', ['reject', 'queue'] as const, 'reject'),
    rateLimitPerMinute: num(env, 'RATE_LIMIT_PER_MINUTE', 300, 1, 1_000_000),
    badSecretLimit: num(env, 'BAD_SECRET_LIMIT', 10, 1, 1_000_000),
  };
}
