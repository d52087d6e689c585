import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { describeError } from '../../domain/errors';
import type { Logger } from '../../ports';

/**
 * The general limit: `perMinute` requests a minute per address across all
 * routes, answered 429 JSON past it. TradingView sends from four addresses,
 * and a bar close fires one alert per chart, so the default (300) leaves room
 * for dozens of charts while stopping a flood.
 */
export function generalRateLimit(perMinute: number, logger: Logger): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      logger.warn('http.rate_limited', { ip: req.ip, path: req.path });
      res.status(429).json({ error: 'too many requests; slow down' });
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
