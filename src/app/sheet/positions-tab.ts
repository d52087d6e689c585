/**
 * Use case: the Positions tab. Reads the broker's positions and the bot's own
 * protective orders (and, per-row, each row's book), and rewrites the tab in
 * one request. Runs with each Performance refresh and shortly after each fill
 * the journal records; a burst of fills (a flip's two legs) costs one rewrite.
 */
import { describeError } from '../../domain/errors';
import { positionLines, renderPositionsTable, type PositionLine, type RowShare } from '../../domain/sheet/positions-table';
import { formatStatusTime } from '../../domain/sheet/status-time';
import type { Broker, Clock, Logger, SheetStore } from '../../ports';
import { SingleFlight } from './single-flight';

/** What the Positions tab needs. */
export interface PositionsTabDeps {
  broker: Pick<Broker, 'listPositions' | 'listOwnProtection'>;
  sheet: SheetStore;
  clock: Clock;
  logger: Logger;
  tab: string;
  /** STATUS_TIMEZONE, for the `updated` column. */
  timezone: string;
  /** Per-row mode: every row's own book; shared mode has none. */
  rowShares?: () => RowShare[];
  /** How long a fill waits for others to join it before the tab is rewritten. */
  settleMs?: number;
  /** The least time between two rewrites (each costs a Sheets read and a write). */
  minIntervalMs?: number;
}

/** What is held and how it is protected now: the lines of the tab and of GET /positions. */
export async function readPositionLines(deps: Pick<PositionsTabDeps, 'broker' | 'rowShares'>): Promise<PositionLine[]> {
  const [positions, protection] = await Promise.all([deps.broker.listPositions(), deps.broker.listOwnProtection()]);
  return positionLines(positions, protection, deps.rowShares?.());
}

/** The Positions tab's writer. */
export class PositionsTab {
  private timer?: NodeJS.Timeout;
  private readonly rewrites = new SingleFlight(
    () => this.rewrite(),
    () => !this.stopped,
  );
  private lastWriteAt = 0;
  private stopped = false;

  constructor(private readonly d: PositionsTabDeps) {}

  /** Rewrites the tab now (joining a rewrite in flight, then going once more); failures are logged, never thrown; nothing once stopped. */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.rewrites.run();
  }

  /** Schedules a rewrite after a fill: soon, but never sooner than `minIntervalMs` after the last one. */
  refreshSoon(): void {
    if (this.stopped || this.timer) return;
    const settle = this.d.settleMs ?? 1_000;
    const floor = this.lastWriteAt + (this.d.minIntervalMs ?? 5_000) - this.d.clock.now().getTime();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.refresh();
      },
      Math.max(settle, floor),
    );
    this.timer.unref();
  }

  /** Cancels a scheduled rewrite; resolves when one in flight has finished. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.rewrites.idle();
  }

  private async rewrite(): Promise<void> {
    try {
      const lines = await readPositionLines(this.d);
      this.lastWriteAt = this.d.clock.now().getTime();
      await this.d.sheet.replaceTab(this.d.tab, renderPositionsTable(lines, formatStatusTime(this.d.clock.now(), this.d.timezone)));
      this.d.logger.info('positions.refreshed', { tab: this.d.tab, symbols: lines.length });
    } catch (err) {
      this.d.logger.warn('positions.refresh_failed', { tab: this.d.tab, error: describeError(err) });
    }
  }
}
