import { type Request, type Response, Router } from 'express';
import type { TradingContext } from '../../app/context';
import { flattenAll } from '../../app/lifecycle/flatten';
import type { KillSwitch, LossBreaker } from '../../app/guards';
import { describeError } from '../../domain/errors';

/** What the control endpoints need. */
export interface ControlDeps {
  ctx: TradingContext;
  killSwitch: KillSwitch;
  breaker: LossBreaker;
  /** The token check; applied here too, so dropping the security middleware can't open these. */
  authorised: (req: Request) => boolean;
}

/** A short reason from the body (`{"reason": "..."}`), control characters removed. */
function reasonFrom(req: Request, fallback: string): string {
  try {
    const body = JSON.parse(typeof req.body === 'string' && req.body.trim() ? req.body : '{}');
    if (typeof body?.reason === 'string' && body.reason.trim())
      return body.reason
        .replace(/[\x00-\x1f\x7f]/g, ' ')
        .trim()
        .slice(0, 200);
  } catch {
    // Not JSON: the fallback reason will do.
  }
  return fallback;
}

/** GET/POST /halt, POST /resume, POST /flatten; every one needs the API token. */
export function controlRouter(deps: ControlDeps): Router {
  const router = Router();
  const { ctx, killSwitch, breaker } = deps;
  router.use(['/halt', '/resume', '/flatten'], (req, res, next) => {
    if (deps.authorised(req)) return next();
    res.status(401).json({ error: 'unauthorized: send Authorization: Bearer <API_TOKEN>' });
  });
  const describe = () => {
    const trip = breaker.activeTrip();
    return {
      ...killSwitch.state(),
      breaker: trip
        ? { tripped: true, until: new Date(trip.until).toISOString(), loss: trip.loss, loss_pct: trip.lossPct }
        : { tripped: false },
    };
  };

  router.get('/halt', (_req, res) => void res.json(describe()));
  router.post('/halt', (req, res) => {
    const state = killSwitch.halt(reasonFrom(req, 'POST /halt'));
    ctx.logger.warn('trading.halted', { reason: state.reason, ip: req.ip });
    res.json({ status: 'halted', ...describe() });
  });
  router.post('/resume', (req, res) => {
    killSwitch.resume();
    ctx.logger.warn('trading.resumed', { ip: req.ip });
    res.json({ status: 'trading', ...describe() });
  });
  router.post('/flatten', async (req: Request, res: Response) => {
    ctx.logger.warn('flatten.requested', { ip: req.ip });
    try {
      const report = await flattenAll(ctx, killSwitch);
      // 202: the closes are queued at the broker (market closed); they fill at the open.
      res.status(report.status === 'flattened' ? 200 : report.status === 'pending' ? 202 : 502).json(report);
    } catch (err) {
      ctx.logger.error('flatten.failed', { error: describeError(err) });
      res.status(502).json({ status: 'failed', error: `flatten stopped: ${describeError(err)}`, halt: killSwitch.state() });
    }
  });
  return router;
}
