import type { Brakes } from './app/guards';
import type { TradingContext } from './app/context';
import type { ControlsTab } from './app/sheet/controls-tab';
import type { PositionsTab } from './app/sheet/positions-tab';
import type { PerformanceRefresher } from './app/sheet/refresh-performance';
import type { Adapters } from './wiring';

/** A built server: its app and context, and how to start and stop it. */
export interface TradingServer {
  ctx: TradingContext;
  adapters: Adapters;
  secret: string;
  /** The bearer token of the read and control endpoints (generated in local mode). */
  apiToken: string;
  brakes: Brakes;
  performance: PerformanceRefresher;
  /** The Controls tab: Halt, Flatten and what the bot reports, polled every CONTROLS_POLL_SECONDS. */
  controls: ControlsTab;
  /** The Positions tab, rewritten with the Performance refresh and after fills. */
  positions: PositionsTab;
  /** Checks rows believed open against the broker now (also runs at start and on a schedule). */
  reconcile(): Promise<number>;
  /**
   * Listens, recovers unfinished work, and starts the background jobs;
   * resolves with the bound port. All or nothing: the journal is written only
   * once the port is bound, and a start that fails closes the journal and
   * gives up the data folder (the server can't be started again).
   */
  start(port?: number): Promise<number>;
  /** Stops accepting, lets in-flight work reach a safe point, flushes the outbox, closes the journal. */
  shutdown(): Promise<void>;
  /**
   * The start-up banner for the bound port (see banner.ts: secrets only with
   * the local paper broker), its curl for the first active Config row.
   */
  banner(): Promise<string>;
  readonly url: string;
}
