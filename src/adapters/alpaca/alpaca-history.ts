/**
 * The read-only history calls (fills, equity, benchmark bars) behind
 * AccountHistory. Each follows Alpaca's pagination to the end, because a
 * silently truncated history would make the P&L and the metrics wrong.
 */
import { TimeFrame, type Alpaca, type marketData } from '@alpacahq/alpaca-trade-api';
import type { Bar, Fill, PortfolioHistory } from '../../domain/types';
import { translateError } from './alpaca-errors';
import { toBar, toFill, toPortfolioHistory } from './alpaca-mapping';

/** Alpaca's largest activities page. */
export const ACTIVITY_PAGE_SIZE = 100;

/** How far back SIP data must be for a free plan (delayed_sip); a minute of slack on Alpaca's 15. */
const SIP_DELAY_MS = 16 * 60_000;

/**
 * Every FILL activity with a time in [start, end], oldest first. Pages with
 * `page_token` = the last id seen until a page comes back short.
 */
export async function listFills(alpaca: Alpaca, start: Date, end: Date): Promise<Fill[]> {
  const byId = new Map<string, Fill>();
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (;;) {
    const page = await alpaca.trading.accountActivities
      .getAccountActivities({
        activityTypes: ['FILL'],
        // Alpaca's after/until are exclusive; widen by a millisecond and filter below.
        after: new Date(start.getTime() - 1),
        until: new Date(end.getTime() + 1),
        direction: 'asc',
        pageSize: ACTIVITY_PAGE_SIZE,
        pageToken,
      })
      .catch((err: unknown) => {
        throw translateError(err, 'listing fills');
      });
    for (const activity of page) {
      const fill = toFill(activity);
      const t = fill ? Date.parse(fill.time) : NaN;
      if (fill && t >= start.getTime() && t <= end.getTime()) byId.set(fill.id, fill);
    }
    const last = page[page.length - 1]?.id;
    if (page.length < ACTIVITY_PAGE_SIZE || !last || seenTokens.has(last)) break;
    seenTokens.add(last);
    pageToken = last;
  }
  return [...byId.values()].sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
}

/** Daily (1D) equity over [start, end]. */
export async function portfolioHistory(alpaca: Alpaca, start: Date, end: Date): Promise<PortfolioHistory> {
  try {
    return toPortfolioHistory(await alpaca.trading.portfolioHistory.getAccountPortfolioHistory({ timeframe: '1D', start, end }));
  } catch (err) {
    throw translateError(err, 'reading the portfolio history');
  }
}

/**
 * Daily bars, split- and dividend-adjusted (so a benchmark's returns are total
 * returns), oldest first; the SDK follows `next_page_token` to the end.
 * `delayed_sip` is a latest-data feed only: history then asks SIP for data at
 * least 16 minutes old, which a free plan may read.
 */
export async function dailyBars(alpaca: Alpaca, feed: string, symbol: string, start: Date, end: Date): Promise<Bar[]> {
  const delayed = feed === 'delayed_sip';
  const until = delayed ? new Date(Math.min(end.getTime(), Date.now() - SIP_DELAY_MS)) : end;
  if (until.getTime() < start.getTime()) return [];
  try {
    const bars = await alpaca.marketData.getStockBarsFor(symbol.trim(), {
      timeframe: TimeFrame.Day,
      start,
      end: until,
      feed: (delayed ? 'sip' : feed) as marketData.StockHistoricalFeed,
      adjustment: 'all',
      limit: 10_000,
    });
    return bars.map(toBar).sort((a, b) => a.t.localeCompare(b.t));
  } catch (err) {
    throw translateError(err, `reading daily bars for ${symbol}`);
  }
}
