import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { TradingContext } from '../app/context';
import { readRouter, type ReadDeps } from './routes/read';
import { webhookRouter, type WebhookOptions } from './routes/webhook';

/** Everything the HTTP app serves from; built once in the composition root. */
export interface AppDeps {
  ctx: TradingContext;
  webhook: WebhookOptions;
  read: ReadDeps;
  /** Middleware run before the body is read (headers, address allowlist). */
  before?: RequestHandler[];
  /** Middleware run once the body is read, before every route (credentials, rate limits, auth). */
  afterBody?: RequestHandler[];
  /** Routers mounted after the core ones (e.g. /halt, /flatten). */
  extra?: express.Router[];
  /** The largest accepted body. */
  bodyLimit?: string;
  /** Proxies whose X-Forwarded-For sets `req.ip` (Express's `trust proxy`); false ignores the header. */
  trustProxy?: false | string[];
}

/**
 * The Express app, without listening, so tests serve it on port 0. Bodies
 * are read as text whatever their content type (TradingView sends JSON as
 * text/plain), capped in size; unknown routes and errors answer JSON.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  for (const handler of deps.before ?? []) app.use(handler);
  app.use(express.text({ type: () => true, limit: deps.bodyLimit ?? '16kb' }));
  for (const handler of deps.afterBody ?? []) app.use(handler);
  app.use(webhookRouter(deps.ctx, deps.webhook));
  app.use(readRouter(deps.read));
  for (const router of deps.extra ?? []) app.use(router);
  app.use((req, res) => {
    res.status(404).json({ error: `no route ${req.method} ${req.path}` });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    const message = status === 413 ? 'body too large' : status < 500 ? 'bad request' : 'internal error';
    deps.ctx.logger[status < 500 ? 'warn' : 'error']('http.error', { http: status, path: req.path, error: err?.type ?? err?.message });
    if (!res.headersSent) res.status(status).json({ error: message });
  };
  app.use(onError);
  return app;
}
