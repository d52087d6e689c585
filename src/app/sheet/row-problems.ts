import type { ConfigTable } from '../../domain/trading/config-table';
import type { Status } from '../../domain/sheet/status';
import type { Logger } from '../../ports';

/** Where a row's FAILED goes: the status outbox's `post`. */
export interface StatusPoster {
  post(symbol: string, timeframe: string, status: Status, reason?: string): void;
}

/**
 * Keeps the sheet and the log honest about Config rows that can't trade (a
 * bad size, a blank or unknown Time Frame, a repeated row, any other row
 * problem): each gets FAILED with its reason in its own row and one log
 * line, once per change, not on every read. Rows without a valid symbol have
 * no row key to write to, so they are logged once per change.
 */
export class RowProblems {
  /** The problems of the last read, so only new or changed ones are acted on. */
  private seen = new Set<string>();

  constructor(
    private readonly outbox: StatusPoster,
    private readonly logger: Logger,
  ) {}

  /** Looks at a freshly read Config tab; posts and logs what changed since the last one. */
  review(table: ConfigTable): void {
    const now = new Set<string>();
    for (const row of table.rows) {
      if (!row.problem) continue;
      const key = `${row.sheetRow}|${row.symbol}|${row.timeframe}|${row.problem}`;
      now.add(key);
      if (this.seen.has(key)) continue;
      this.logger.warn('config.row_problem', { row: row.sheetRow, symbol: row.symbol, timeframe: row.timeframeLabel, reason: row.problem });
      // After a restart the row may already say so; rewriting it would only move Last Updated.
      const shown = row.shown?.status === 'FAILED' && (table.columns.reason === undefined || row.shown.reason === row.problem);
      if (!shown) this.outbox.post(row.symbol, row.timeframe, 'FAILED', row.problem);
    }
    for (const skip of table.skipped) {
      const key = `skipped|${skip.sheetRow}|${skip.reason}`;
      now.add(key);
      if (!this.seen.has(key)) this.logger.warn('config.row_skipped', { row: skip.sheetRow, reason: skip.reason });
    }
    this.seen = now;
  }
}
