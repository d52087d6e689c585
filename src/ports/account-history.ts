import type { Bar, Fill, PortfolioHistory } from '../domain/types';

/** The account's history, for the Performance tab and the analytics CLI. */
export interface AccountHistory {
  /** Every fill with `time` in [start, end], oldest first, all pages followed. */
  listFills(start: Date, end: Date): Promise<Fill[]>;
  /** Daily equity (1D timeframe) over [start, end]. */
  getPortfolioHistory(start: Date, end: Date): Promise<PortfolioHistory>;
  /** Daily bars for `symbol` over [start, end], oldest first; [] when there is no market data. */
  getDailyBars(symbol: string, start: Date, end: Date): Promise<Bar[]>;
}
