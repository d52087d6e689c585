/**
 * The server's sheet tabs besides Config (Positions, Performance, Controls),
 * wired from the settings: part of the composition root, kept apart so
 * `server.ts` reads as the start-up order.
 */
import type { TradingContext } from './app/context';
import type { Brakes } from './app/guards';
import { flattenAll } from './app/lifecycle/flatten';
import { ControlsTab } from './app/sheet/controls-tab';
import { PositionsTab } from './app/sheet/positions-tab';
import { createPerformanceRefresher, type PerformanceRefresher } from './app/sheet/refresh-performance';
import type { RowBookEntry } from './ports';
import type { Settings } from './settings';
import type { Adapters } from './wiring';

/** The tabs the server keeps, and the per-row books they show (undefined in shared mode). */
export interface SheetTabs {
  positions: PositionsTab;
  performance: PerformanceRefresher;
  controls: ControlsTab;
  rowShares: (() => RowBookEntry[]) | undefined;
}

/** Builds the Positions, Performance and Controls tabs; a fill refreshes Positions soon after. */
export function createSheetTabs(deps: { settings: Settings; ctx: TradingContext; adapters: Adapters; brakes: Brakes }): SheetTabs {
  const { settings, ctx, adapters, brakes } = deps;
  const { broker, history, sheet, journal, brokerMode } = adapters;
  const { clock, logger, orders } = ctx;
  const rowShares = settings.positionMode === 'per-row' ? () => journal.rowBooks() : undefined;
  const positions = new PositionsTab({
    broker,
    sheet,
    clock,
    logger,
    tab: settings.positionsTab,
    timezone: settings.statusTimezone,
    rowShares,
  });
  // Every fill the bot sees (a signal's, a flip's, a protective exit's, a flatten's) is journaled: the one place to hear of them all.
  journal.onOrderFilled(() => positions.refreshSoon());
  const performance = createPerformanceRefresher({
    broker,
    history,
    sheet,
    clock,
    logger,
    tab: settings.performance.tab,
    windowDays: settings.performance.windowDays,
    timezone: settings.statusTimezone,
    rowBooks: settings.positionMode === 'per-row' ? journal : undefined,
    alongside: () => void positions.refresh(),
  });
  const controls = new ControlsTab({
    sheet,
    clock,
    logger,
    tab: settings.controls.tab,
    timezone: settings.statusTimezone,
    killSwitch: brakes.killSwitch,
    state: journal,
    mode: brokerMode,
    breakerHalt: () => {
      const trip = brakes.breaker.activeTrip();
      return trip && { reason: brakes.breaker.describe(trip), since: trip.at };
    },
    orderEvents: () => orders.events,
    flatten: () => flattenAll(ctx, brakes.killSwitch),
  });
  return { positions, performance, controls, rowShares };
}
