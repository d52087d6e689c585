import { type Request, type Response, Router } from 'express';
import type { ConfigSource } from '../../app/sheet/config-source';
import { describeError } from '../../domain/errors';
import type { ControlsStatus } from '../../app/sheet/controls-tab';
import type { PositionLine } from '../../domain/sheet/positions-table';
import type { Broker, Clock, HealthProbe, Logger, RowBookEntry, SheetStore } from '../../ports';

/** What the read endpoints need. */
export interface ReadDeps {
  broker: Broker;
  /** Where orders go, shown by /health: `local` (the paper broker), `paper` or `live` (Alpaca). */
  mode: 'local' | 'paper' | 'live';
  sheet: SheetStore;
  config: ConfigSource;
  clock: Clock;
  logger: Logger;
  startedAt: number;
  /** Recomputes the Performance tab and returns its rows (GET /performance). */
  refreshPerformance?: () => Promise<unknown>;
  /** Per-row mode: every row's own book, shown beside the broker's net in GET /positions. */
  rowBooks?: () => RowBookEntry[];
  /** True when the caller may see details (token checked by the security layer). */
  mayReadDetails?: (req: Request) => boolean;
  /** The journal's vital signs: /health is degraded when it can't be written or fails its check. */
  health: HealthProbe;
  /** The brakes' state, for the token holder's /health. */
  brakes?: () => { halt: unknown; breaker: unknown };
  /** How order events reach the bot now, for the token holder's /health: pushed by the broker's stream, or polled. */
  orderEvents?: () => 'stream' | 'polling';
  /**
   * What is held and how the broker protects it (GET /positions shows the Positions tab's
   * protection); the broker's positions alone when absent.
   */
  positions?: () => Promise<PositionLine[]>;
  /** The Controls tab's last read, and why it failed, for the token holder's /health. */
  controls?: () => ControlsStatus;
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
    const problem = deps.health.problem();
    if (problem) deps.logger.error('health.degraded', { problem });
    const code = problem ? 503 : 200;
    const status = problem ? 'degraded' : 'ok';
    // Anonymous callers learn ok or degraded, nothing more, and cost no Sheets read.
    if (deps.mayReadDetails && !deps.mayReadDetails(req)) return void res.status(code).json({ status });
    let activeRows: number | undefined;
    let sheetProblem: string | undefined;
    try {
      const snapshot = deps.config.recent(HEALTH_CONFIG_AGE_MS) ?? (await deps.config.readFor(deps.clock.now().getTime()));
      activeRows = snapshot.table.rows.filter((r) => r.active && !r.problem).length;
    } catch (err) {
      sheetProblem = describeError(err);
    }
    const last = deps.health.lastSignalAt();
    res.status(code).json({
      status,
      ...(problem ? { problem } : {}),
      mode: deps.mode,
      sheet: deps.sheet.kind,
      uptime_s: Math.round((deps.clock.now().getTime() - deps.startedAt) / 1000),
      ...(deps.brakes ? deps.brakes() : {}),
      ...(deps.orderEvents ? { order_events: deps.orderEvents() } : {}),
      outbox_backlog: deps.health.outboxBacklog(),
      last_signal_at: last === undefined ? null : new Date(last).toISOString(),
      active_rows: activeRows ?? null,
      ...(sheetProblem ? { sheet_problem: sheetProblem } : {}),
      ...(deps.controls ? { controls: deps.controls() } : {}),
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
      const shown: ({ symbol: string; qty: number } & Record<string, unknown>)[] = deps.positions
        ? (await deps.positions())
            .filter((p) => p.side !== 'flat')
            .map((p) => ({
              symbol: p.symbol,
              qty: p.qty,
              side: p.side,
              avg_entry: p.avgEntry,
              last: p.last,
              market_value: p.marketValue,
              unrealized_pl: p.unrealizedPl,
              protection: p.protection,
            }))
        : (await deps.broker.listPositions()).map((p) => ({
            symbol: p.symbol,
            qty: p.qty,
            side: p.side,
            market_value: p.marketValue,
            unrealized_pl: p.unrealizedPl,
          }));
      res.json(deps.rowBooks ? withRows(shown, deps.rowBooks()) : shown);
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

/**
 * Per-row mode: each symbol's rows (timeframe → signed shares) and their sum beside the broker's
 * net; a symbol held only in a row shows qty 0.
 */
function withRows<P extends { symbol: string; qty: number }>(positions: P[], books: RowBookEntry[]) {
  const symbols = new Set([...positions.map((p) => p.symbol), ...books.filter((b) => b.qty !== 0).map((b) => b.symbol)]);
  return [...symbols].map((symbol) => {
    const held = positions.find((p) => p.symbol === symbol) ?? { symbol, qty: 0 };
    const rows = Object.fromEntries(books.filter((b) => b.symbol === symbol).map((b) => [b.timeframe, b.qty]));
    return { ...held, rows, rows_net: Object.values(rows).reduce((a, b) => a + b, 0) };
  });
}
