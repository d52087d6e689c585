import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ConfigSource } from './app/sheet/config-source';
import type { TradingContext } from './app/context';
import { OrderReactor } from './app/orders/order-reactor';
import { scheduleReconcile } from './app/lifecycle/reconcile';
import { createSettle } from './app/lifecycle/settle-order';
import { expireOrder } from './app/orders/cancel-and-wait';
import { rowPositions } from './app/strategies/row-positions';
import { sharedPositions } from './app/strategies/shared-positions';
import { RowProblems } from './app/sheet/row-problems';
import { restoreProtection } from './app/protection/protection-restart';
import { recoverUnfinished } from './app/lifecycle/recover';
import { perRowConfigTable } from './domain/trading/row-books';
import { createBrakes } from './app/guards';
import { announceHaltAtStart, type HaltAtStart } from './app/guards/halt-at-start';
import { readPositionLines } from './app/sheet/positions-tab';
import { StatusOutbox } from './app/sheet/status-outbox';
import { AssetFacts } from './app/positions/asset-facts';
import { AssetReadAhead } from './app/positions/asset-read-ahead';
import { SymbolLocks } from './app/orders/symbol-locks';
import { createNotifiers } from './adapters/notify';
import { DatabaseHealth } from './adapters/sqlite-journal/health';
import { systemClock, within } from './shared/clock';
import { describeError } from './domain/errors';
import { createApp } from './http/app';
import { listen } from './http/listen';
import { controlRouter } from './http/routes/control';
import { signalsRouter } from './http/routes/signals';
import { createSecurity } from './http/security';
import { banner, firstActiveRow } from './banner';
import { type DataDirLock, lockDataDir } from './data-dir-lock';
import { EXAMPLE_CONFIG, localApiToken, localWebhookSecret } from './local-mode';
import type { Clock, Logger } from './ports';
import type { Settings } from './settings';
import { openAdapters, orderEventSource } from './wiring';
import { createSheetTabs } from './server-tabs';
import type { TradingServer } from './trading-server';

export type { TradingServer } from './trading-server';

/**
 * Wires every part from the settings: the one composition root of the
 * server. It first takes the data folder (DataDirLockedError when another
 * live server holds it), so a second process stops before opening the journal.
 */
export async function buildServer(settings: Settings, logger: Logger, clock: Clock = systemClock): Promise<TradingServer> {
  const lock = lockDataDir(settings.dataDir);
  try {
    return await assemble(settings, logger, clock, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function assemble(settings: Settings, logger: Logger, clock: Clock, lock: DataDirLock): Promise<TradingServer> {
  const adapters = await openAdapters(settings, clock, EXAMPLE_CONFIG);
  const { broker, sheet, journal, brokerMode } = adapters;
  const secret = settings.webhookSecret ?? localWebhookSecret(settings.dataDir);
  const apiToken = settings.safety.apiToken ?? localApiToken(settings.dataDir);
  const notifiers = createNotifiers(settings.notify);
  const brakes = createBrakes({ safety: settings.safety, broker, store: journal, clock, logger, notifiers });
  const security = createSecurity({ safety: settings.safety, secret, apiToken, clock, logger });
  const config = new ConfigSource(sheet, settings.configTab, settings.reliability.configMaxAgeMs, clock, logger);
  const outbox = new StatusOutbox(journal, sheet, config, clock, logger, {
    tab: settings.configTab,
    timezone: settings.statusTimezone,
    signals: { store: adapters.signalLog, ...settings.signals },
    positionOf:
      settings.positionMode === 'per-row'
        ? (symbol, timeframe) => journal.rowBooks(symbol).find((b) => b.timeframe === timeframe)?.qty ?? 0
        : undefined,
  });
  const rowProblems = new RowProblems(outbox, logger);
  const locks = new SymbolLocks();
  const orders = new OrderReactor({ broker, journal, clock, logger, locks });
  const assets = new AssetFacts(broker, clock);
  const assetsAhead = new AssetReadAhead({ config, assets, clock, logger });
  const ctx: TradingContext = {
    broker,
    market: adapters.localMarket,
    journal,
    config,
    outbox,
    clock,
    logger,
    locks,
    orders,
    assets,
    timings: settings.reliability,
    guards: brakes.guards,
    sessions: brakes.sessions,
    notifiers,
    cryptoStopLimitPct: settings.cryptoStopLimitPct,
    // The one place the position mode is chosen; nothing below asks which it is.
    strategy: settings.positionMode === 'per-row' ? rowPositions : sharedPositions,
  };
  orders.onSettle(createSettle(ctx));
  orders.onExpire((clientOrderId) => expireOrder(ctx, clientOrderId));
  // Alpaca's trade_updates stream when it is up; the reactor polls while it is not (and always with the paper broker).
  const events = await orderEventSource(settings, logger);
  const { positions, performance, controls, rowShares } = createSheetTabs({ settings, ctx, adapters, brakes });
  // However the bot halts or resumes (POST /halt, /flatten, the breaker), the Halt box follows at once.
  brakes.killSwitch.onChange(() => void controls.poll());
  brakes.breaker.onTrip(() => void controls.poll());
  const inFlight = new Set<Promise<void>>();
  const startedAt = clock.now().getTime();
  const app = createApp({
    ctx,
    before: security.beforeBody,
    afterBody: security.afterBody,
    trustProxy: security.trustProxy,
    extra: [
      controlRouter({ ctx, killSwitch: brakes.killSwitch, breaker: brakes.breaker, authorised: security.hasToken }),
      signalsRouter(journal, security.hasToken),
    ],
    webhook: {
      secret,
      onBadSecret: security.onBadSecret,
      track: (work) => {
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      },
    },
    read: {
      broker,
      mode: brokerMode,
      sheet,
      config,
      clock,
      logger,
      startedAt,
      refreshPerformance: () => performance.refresh(),
      mayReadDetails: security.mayReadDetails,
      health: new DatabaseHealth(adapters.db, () => clock.now().getTime()),
      orderEvents: () => orders.events,
      brakes: () => {
        const trip = brakes.breaker.activeTrip();
        return { halt: brakes.killSwitch.state(), breaker: brakes.breaker.enabled ? { tripped: trip !== undefined, ...trip } : 'off' };
      },
      rowBooks: settings.positionMode === 'per-row' ? () => journal.rowBooks() : undefined,
      positions: () => readPositionLines({ broker, rowShares }),
      controls: () => controls.status(),
    },
  });

  let server: Server | undefined;
  let port = 0;
  let reconciler: ReturnType<typeof scheduleReconcile> | undefined;
  let haltAtStart: HaltAtStart | undefined;
  const tls = settings.safety.tls;

  /** The journal changes start-up makes, in one transaction: the position mode, and TRADING_ENABLED's halt. */
  const commitStartup = (apply: () => void) => adapters.db.transaction(apply)();

  /** A failed start: nothing runs, the journal is closed and the data folder given up. */
  const abandon = () => {
    server?.close();
    assetsAhead.stop();
    orders.stop();
    outbox.stop();
    adapters.close();
    lock.release();
  };

  return {
    reconcile: () => reconciler?.runNow() ?? ctx.strategy.reconcile(ctx),
    ctx,
    adapters,
    secret,
    apiToken,
    brakes,
    performance,
    controls,
    positions,
    get url() {
      return `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    },
    banner: async () =>
      banner({
        mode: brokerMode,
        broker: adapters.brokerName,
        sheet: { kind: sheet.kind, location: sheet.location },
        port: port || settings.port,
        https: !!tls,
        dataDir: settings.dataDir,
        secret,
        apiToken,
        secretFromSettings: settings.webhookSecret !== undefined,
        tokenFromSettings: settings.safety.apiToken !== undefined,
        firstRow: adapters.localMarket ? await firstActiveRow(config, broker, clock) : null,
        configTab: settings.configTab,
        halt: haltAtStart,
      }),
    async start(listenPort = settings.port) {
      try {
        // What the position mode's switch needs is read first, and written only once the port is ours: a start
        // that fails (the port in use, the broker unreachable) leaves the journal as it was. A switch that can't
        // be read fails the start: running per-row on books that were never set up would trade shares no row holds.
        const modeSwitch = await ctx.strategy.enter(ctx).catch((err) => {
          throw new Error(
            `POSITION_MODE=${settings.positionMode} could not be put in force, ` +
              `so the server did not start (nothing was changed): ${describeError(err)}`,
          );
        });
        server = await listen(app, { port: listenPort, host: settings.safety.listenHost, tls }, () =>
          commitStartup(() => {
            // Before any signal is read, so the first one already plans from the books of the mode in force.
            modeSwitch?.apply();
            brakes.haltIfTradingDisabled();
          }),
        );
      } catch (err) {
        abandon();
        throw err;
      }
      // Per-row mode also shows, on read, the rows it refuses for asking for protection (only once started: no write before).
      config.onRead((table) => rowProblems.review(settings.positionMode === 'per-row' ? perRowConfigTable(table) : table));
      server.requestTimeout = 10_000;
      server.headersTimeout = 5_000;
      port = (server.address() as AddressInfo).port;
      logger.info('server.started', { port, mode: brokerMode, sheet: sheet.kind });
      haltAtStart = announceHaltAtStart({ killSwitch: brakes.killSwitch, notifiers, logger, blocksClose: settings.safety.haltBlocksClose });
      events?.start({
        onOrder: (order) => orders.onOrder(order),
        onState: (state) => {
          orders.setMode(state);
          void controls.poll(); // the Controls tab's "Order events" cell follows at once
          // Whatever changed while nobody listened is read once the stream is back.
          if (state === 'stream') void orders.catchUp();
        },
      });
      reconciler = scheduleReconcile(ctx, settings.reliability.reconcileIntervalMs);
      void recoverUnfinished(ctx)
        .then(() => restoreProtection(ctx))
        .then(() => reconciler?.runNow())
        .catch((err) => logger.error('recovery.failed', { error: describeError(err) }));
      performance.start(settings.performance.intervalMinutes * 60_000);
      controls.start(settings.controls.pollMs);
      assetsAhead.start();
      outbox.kick();
      return port;
    },
    async shutdown() {
      const deadline = clock.now().getTime() + settings.reliability.shutdownTimeoutMs;
      const left = () => Math.max(0, deadline - clock.now().getTime());
      logger.info('server.stopping', { in_flight: inFlight.size });
      const closed = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve();
      performance.stop();
      assetsAhead.stop();
      reconciler?.stop();
      await within(Promise.all([...inFlight, controls.stop(), positions.stop()]), left());
      orders.stop();
      await events?.stop();
      const flushed = await outbox.drain(Math.min(left(), 5_000));
      outbox.stop();
      server?.closeAllConnections();
      await closed;
      adapters.close();
      lock.release();
      logger.info('server.stopped', { outbox_flushed: flushed });
    },
  };
}
