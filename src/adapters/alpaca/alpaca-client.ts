/**
 * Builds the Alpaca SDK client the adapter talks through, pointed only at the
 * hosts the settings name. The SDK's `Alpaca` facade has no base-URL option, so
 * a `pre` middleware rewrites each request's origin; it also refuses any host
 * it does not recognise, so no request (and no API key) can leak elsewhere.
 */
import { Alpaca, marketData, trading } from '@alpacahq/alpaca-trade-api';
import { ConfigurationError } from '../../domain/errors';
import type { AlpacaSettings } from '../../settings/core';

/** How to reach Alpaca; every field comes from the settings module, never from the environment. */
export interface AlpacaBrokerOptions
  extends
    Pick<AlpacaSettings, 'keyId' | 'secretKey' | 'paper' | 'baseUrl' | 'dataUrl' | 'dataFeed'>,
    Partial<Pick<AlpacaSettings, 'rateLimit'>> {
  /** Per-request deadline; the SDK's default is 30 s. */
  timeoutMs?: number;
  /** The SDK's own retry of idempotent GETs (never POST); on unless false. */
  retry?: boolean;
}

/** The SDK's own hosts, each mapped to where its requests go (itself when no override is set). */
function hostMap(options: AlpacaBrokerOptions): [string, string][] {
  // Only the trading host that matches `paper` is allowed: a live request from
  // a paper client (or the reverse) would be a bug, so it is refused like any stranger.
  const tradingHost = options.paper ? trading.TRADING_PAPER_HOST : trading.TRADING_LIVE_HOST;
  return [
    [tradingHost, stripSlash(options.baseUrl ?? tradingHost)],
    [marketData.MARKET_DATA_HOST, stripSlash(options.dataUrl ?? marketData.MARKET_DATA_HOST)],
  ];
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function checkUrl(name: string, value: string | undefined): void {
  if (value === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigurationError(`Alpaca ${name} "${value}" is not a URL; give an origin such as http://127.0.0.1:8080.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigurationError(`Alpaca ${name} "${value}" must start with http:// or https://.`);
  }
}

/**
 * A `pre` middleware that swaps the SDK's host for the configured one and
 * throws ConfigurationError for a URL on any other host.
 */
export function originRewrite(map: [string, string][]): trading.Middleware {
  return {
    async pre({ url, init }) {
      for (const [from, to] of map) {
        if (url === from || url.startsWith(from + '/') || url.startsWith(from + '?')) {
          return { url: to + url.slice(from.length), init };
        }
      }
      throw new ConfigurationError(`Refusing an Alpaca request to an unexpected host: ${new URL(url).origin}`);
    },
  };
}

/** The SDK facade for these options; it opens no connection until a method is called. */
export function createAlpacaClient(options: AlpacaBrokerOptions): Alpaca {
  // The SDK treats an empty key as absent and would then read APCA_* from the
  // environment; this adapter must only ever use what it was given.
  if (!options.keyId || !options.secretKey) {
    throw new ConfigurationError('Alpaca keyId and secretKey must both be set (APCA_API_KEY_ID / APCA_API_SECRET_KEY).');
  }
  checkUrl('base URL', options.baseUrl);
  checkUrl('data URL', options.dataUrl);
  return new Alpaca({
    keyId: options.keyId,
    secret: options.secretKey,
    paper: options.paper,
    timeoutMs: options.timeoutMs,
    retry: options.retry === false ? false : undefined,
    rateLimit: options.rateLimit === false ? false : undefined,
    middleware: [originRewrite(hostMap(options))],
  });
}
