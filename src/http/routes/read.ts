import { type Request, type Response, Router } from 'express';
import type { ConfigSource } from '../../app/config-source';
import { describeError } from '../../domain/errors';
import type { Broker, Clock, Logger, SheetStore } from '../../ports';

/** What the read endpoints need. */
export interface ReadDeps {
  broker: Broker;
  sheet: SheetStore;
  config: ConfigSource;
  clock: Clock;
  logger: Logger;
  startedAt: number;
  /** Recomputes the Performance tab and returns its rows (GET /performance). */
  refreshPerformance?: () => Promise<unknown>;
  /** True when the caller may see details (token checked by the security layer). */
  mayReadDetails?: (req: Request) => boolean;
}

/** A Config copy this young answers /health without spending a Sheets read. */
const HEALTH_CONFIG_AGE_MS = 60_000;

/** GET /health, /config, /positions and /performance. */
export function readRouter(deps: ReadDeps): Router {
  const router = Router();
  const fail = (res: Response, what: string, err: unknown) => {
    deps.logger.warn('http.read_failed', { what, error: describeError(err) });
    res.status(503).json({ error: `${what} unavailable: ${describeError(err)}` });
  };

  router.get('/health', async (req, res) => {
    let activeRows: number | undefined;
    let problem: string | undefined;
    try {
      const snapshot = deps.config.recent(HEALTH_CONFIG_AGE_MS) ?? (await deps.config.readFor(deps.clock.now().getTime()));
      activeRows = snapshot.table.rows.filter((r) => r.active && !r.problem).length;
    } catch (err) {
      problem = describeError(err);
    }
    const status = problem ? 'degraded' : 'ok';
    if (deps.mayReadDetails && !deps.mayReadDetails(req)) return void res.json({ status });
    res.json({
      status,
      mode: deps.broker.mode,
      sheet: deps.sheet.kind,
      uptime_s: Math.round((deps.clock.now().getTime() - deps.startedAt) / 1000),
      active_rows: activeRows ?? null,
      ...(problem ? { problem } : {}),
    });
  });

  router.get('/config', async (_req, res) => {
    try {
      const { table } = await deps.config.readFor(deps.clock.now().getTime());
      const rows: Record<string, number> = {};
      let total = 0;
      for (const r of table.rows.filter((row) => row.active && !row.problem)) {
        rows[`${r.symbol} ${r.timeframeLabel}`] = r.positionSize;
        total += r.positionSize;
      }
      res.json({ ...rows, total: Math.round(total * 100) / 100 });
    } catch (err) {
      fail(res, 'config', err);
    }
  });

  router.get('/positions', async (_req, res) => {
    try {
      const positions = await deps.broker.listPositions();
      res.json(positions.map((p) => ({ symbol: p.symbol, qty: p.qty, side: p.side, market_value: p.marketValue, unrealized_pl: p.unrealizedPl })));
    } catch (err) {
      fail(res, 'positions', err);
    }
  });

  router.get('/performance', async (_req: Request, res: Response) => {
    if (!deps.refreshPerformance) return void res.status(404).json({ error: 'performance is not enabled' });
    try {
      res.json(await deps.refreshPerformance());
    } catch (err) {
      fail(res, 'performance', err);
    }
  });
  return router;
}
