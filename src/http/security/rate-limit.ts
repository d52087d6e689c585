import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { describeError } from '../../domain/errors';
import type { Logger } from '../../ports';
import { isTrusted } from './credentials';

/**
 * The general limit: `perMinute` requests a minute per address across all
 * routes, answered 429 JSON past it. TradingView sends from four addresses,
 * and a bar close fires one alert per chart, so the default (300) leaves room
 * for dozens of charts while stopping a flood. Requests with the right secret
 * or token are neither counted nor refused, so a flood of junk from a shared
 * address (TradingView's) never stops the trader's own alerts and curls.
 */
export function generalRateLimit(perMinute: number, logger: Logger): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (_req, res) => isTrusted(res),
    handler: (req, res) => {
      logger.warn('http.rate_limited', { ip: req.ip, path: req.path });
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      res
        .status(429)
        .json({ error: `too many requests from this address; slow down${reset ? ` (the limit resets at ${reset.toISOString()})` : ''}` });
    },
    // Its start-up checks speak through our logger, never straight to the console.
    logger: {
      error: (err, message) => logger.warn('http.rate_limit_config', { error: describeError(err), message }),
      warn: (err, message) => logger.warn('http.rate_limit_config', { error: describeError(err), message }),
    },
    // A spoofed X-Forwarded-For without TRUST_PROXY is expected noise, not a misconfiguration.
    validate: { xForwardedForHeader: false },
  });
}
