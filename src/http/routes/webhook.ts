import { type Request, type Response, Router } from 'express';
import { parseSignal, SECRET_FIELDS, withoutSecrets } from '../../domain/parse-signal';
import type { TradingContext } from '../../app/context';
import { handleSignal } from '../../app/handle-signal';
import { secretMatches } from '../secret';

/** What the webhook route needs besides the trading context. */
export interface WebhookOptions {
  secret: string;
  /** Keeps the background work of each signal, so shutdown can wait for it. */
  track: (work: Promise<void>) => void;
  /** Called on a wrong or missing secret (for rate limiting bad callers). */
  onBadSecret?: (req: Request) => void;
}

/** Reads the presented secret: the X-Webhook-Secret header, else `secret` or `passphrase` in the body. */
function presentedSecret(req: Request, body: Record<string, unknown>): unknown {
  const header = req.get('x-webhook-secret');
  if (header) return header;
  for (const key of SECRET_FIELDS) if (body[key] !== undefined) return body[key];
  return undefined;
}

/**
 * POST /webhook: the alert arrives as JSON or text/plain (TradingView sends
 * either); 400 for a body that is not a signal, 401 for a wrong secret, else
 * the answer of the signal use case.
 */
export function webhookRouter(ctx: TradingContext, options: WebhookOptions): Router {
  const router = Router();
  router.post('/webhook', async (req: Request, res: Response) => {
    const receivedAt = ctx.clock.now().getTime();
    const reject = (status: number, error: string) => {
      ctx.logger.warn('webhook.rejected', { http: status, error, ip: req.ip });
      res.status(status).json({ error });
    };
    const text = typeof req.body === 'string' ? req.body : '';
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return reject(400, text.trim() === '' ? 'empty body: send the alert as JSON' : 'body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return reject(400, 'body must be a JSON object');
    if (!secretMatches(presentedSecret(req, body as Record<string, unknown>), options.secret)) {
      options.onBadSecret?.(req);
      return reject(401, 'wrong or missing secret');
    }
    const parsed = parseSignal(body);
    if (!parsed.ok) return reject(400, parsed.error);
    const run = handleSignal(ctx, { signal: parsed.signal, raw: JSON.stringify(withoutSecrets(body as Record<string, unknown>)), receivedAt });
    options.track(run.done);
    const answer = await run.answer;
    res.status(answer.httpStatus).json(answer.body);
    ctx.outbox.noteAnswer({
      signalId: answer.body.signal_id as string | undefined, status: String(answer.body.status),
      receivedAt, latencyMs: ctx.clock.now().getTime() - receivedAt,
    });
  });
  return router;
}
