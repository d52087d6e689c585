import { type Request, type Response, Router } from 'express';
import { parseSignal, withoutSecrets } from '../../domain/signal/parse-signal';
import type { TradingContext } from '../../app/context';
import { handleSignal } from '../../app/signal/handle-signal';
import type { SignalOutcome } from '../../app/outcome';
import { parseJsonObject } from '../json-body';
import { secretMatches } from '../secret';
import { presentedSecret } from '../security/credentials';

/** What the webhook route needs besides the trading context. */
export interface WebhookOptions {
  secret: string;
  /** Keeps the background work of each signal, so shutdown can wait for it. */
  track: (work: Promise<void>) => void;
  /** Called on a wrong or missing secret (for rate limiting bad callers). */
  onBadSecret?: (req: Request) => void;
}

/**
 * POST /webhook: the alert arrives as JSON or text/plain (TradingView sends
 * either); 400 for a body that is not a signal (or is nested too deeply), 401 for a wrong secret, else
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
    const parsedBody = parseJsonObject(typeof req.body === 'string' ? req.body : '');
    if (!parsedBody.ok) return reject(400, parsedBody.error);
    const { body } = parsedBody;
    if (!secretMatches(presentedSecret(req, body), options.secret)) {
      options.onBadSecret?.(req);
      return reject(401, 'wrong or missing secret');
    }
    const parsed = parseSignal(body);
    if (!parsed.ok) return reject(400, parsed.error);
    const run = handleSignal(ctx, { signal: parsed.signal, raw: JSON.stringify(withoutSecrets(body)), receivedAt });
    options.track(run.done);
    const answer = toHttp(await run.outcome);
    res.status(answer.status).json(answer.body);
    ctx.outbox.noteAnswer({
      signalId: answer.body.signal_id as string | undefined,
      status: String(answer.body.status),
      receivedAt,
      latencyMs: ctx.clock.now().getTime() - receivedAt,
    });
  });
  return router;
}

/**
 * A signal's outcome as TradingView's answer. Everything recorded answers
 * 200, so TradingView never resends it; only a signal the journal could not
 * record gets a 5xx, the one case where a resend is wanted.
 */
export function toHttp(outcome: SignalOutcome): { status: number; body: Record<string, unknown> } {
  switch (outcome.kind) {
    case 'duplicate':
      return { status: 200, body: { status: 'duplicate', signal_id: outcome.signalId } };
    case 'not_recorded':
      return { status: 500, body: { status: 'error', error: outcome.error } };
    case 'still_working':
      return {
        status: 200,
        body: { status: 'accepted', signal_id: outcome.signalId, note: 'still working; the sheet will show the outcome' },
      };
    case 'ignored':
      return { status: 200, body: { status: 'ignored', ...outcome.about, reason: outcome.reason } };
    case 'settled':
      return { status: 200, body: { status: outcome.status, ...outcome.about, ...(outcome.reason ? { reason: outcome.reason } : {}) } };
    case 'refused':
      return {
        status: 200,
        body: {
          status: outcome.answer,
          ...outcome.about,
          reason: outcome.reason,
          ...(outcome.orderIds ? { order_ids: outcome.orderIds } : {}),
          ...(outcome.legs ? { legs: outcome.legs } : {}),
        },
      };
    case 'submitted':
      return {
        status: 200,
        body: {
          status: 'ORDER SUBMITTED',
          ...outcome.about,
          order_ids: outcome.orderIds,
          qty: outcome.qty,
          notional: outcome.notional,
          ...(outcome.legs ? { legs: outcome.legs } : {}),
          ...(outcome.queued ? { reason: outcome.queued } : {}),
        },
      };
  }
}
