/** Trading API: account, clock, calendar, assets, account activities (paged) and portfolio history. */
import type { Book } from './book';
import { alpacaError } from './order-rules';
import { ok, type Route } from './router';
import { calendarJson } from './calendar';
import { accountJson, assetJson, clockJson } from './shapes';
import type { PortfolioHistoryInput, Reply } from './types';

/** Alpaca's largest activities page; a larger `page_size` is clamped to it. */
export const MAX_ACTIVITY_PAGE = 100;

/**
 * GET /v2/account/activities: newest first unless `direction=asc`; `after` /
 * `until` are exclusive; `page_token` is the last id of the previous page.
 */
function listActivities(book: Book, q: URLSearchParams, pathType?: string): Reply {
  const types = pathType
    ? [pathType]
    : q
        .get('activity_types')
        ?.split(',')
        .map((t) => t.trim().toUpperCase());
  if (types && !types.includes('FILL')) return ok([]);
  const pageSize = Math.min(Number(q.get('page_size') ?? MAX_ACTIVITY_PAGE) || MAX_ACTIVITY_PAGE, MAX_ACTIVITY_PAGE);
  const asc = q.get('direction') === 'asc';
  const after = q.get('after') ? Date.parse(q.get('after')!) : undefined;
  const until = q.get('until') ? Date.parse(q.get('until')!) : undefined;
  const date = q.get('date')?.slice(0, 10);
  const token = q.get('page_token');
  let list = book.activities.filter((a) => {
    const t = Date.parse(a.transaction_time);
    if (after !== undefined && !(t > after)) return false;
    if (until !== undefined && !(t < until)) return false;
    if (date && a.transaction_time.slice(0, 10) !== date) return false;
    return true;
  });
  if (!asc) list = [...list].reverse();
  if (token) list = list.filter((a) => (asc ? a.id > token : a.id < token));
  return ok(list.slice(0, pageSize));
}

/** The series in Alpaca's shape, cut to [start, end]; one point of today's equity when none was set. */
function portfolioHistory(book: Book, q: URLSearchParams): Reply {
  const today = Math.floor(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) / 1000);
  const h: PortfolioHistoryInput = book.history ?? { timestamp: [today], equity: [book.equity()], base_value: book.lastEquity };
  const base = h.base_value ?? h.equity.find((e) => e !== null) ?? 0;
  const start = q.get('start') ? Date.parse(q.get('start')!) / 1000 : -Infinity;
  const end = q.get('end') ? Date.parse(q.get('end')!) / 1000 : Infinity;
  // Filtered in seconds even if a test stored milliseconds (as Alpaca's own docs example shows).
  const seconds = (t: number) => (t > 1e11 ? t / 1000 : t);
  const keep = h.timestamp.map((t, i) => (seconds(t) >= start && seconds(t) <= end ? i : -1)).filter((i) => i >= 0);
  const pl = (i: number) => h.profit_loss?.[i] ?? (h.equity[i] === null ? null : round2(h.equity[i]! - base));
  const pct = (i: number) => h.profit_loss_pct?.[i] ?? (h.equity[i] === null || base === 0 ? null : h.equity[i]! / base - 1);
  return ok({
    timestamp: keep.map((i) => h.timestamp[i]),
    equity: keep.map((i) => h.equity[i]),
    profit_loss: keep.map(pl),
    profit_loss_pct: keep.map(pct),
    base_value: base,
    timeframe: q.get('timeframe') ?? h.timeframe ?? '1D',
  });
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The account-side routes over one book. */
export function accountRoutes(book: Book): Route[] {
  const trading = 'trading' as const;
  return [
    { host: trading, method: 'GET', path: /^\/v2\/account$/, handle: () => ok(accountJson(book)) },
    { host: trading, method: 'GET', path: /^\/v2\/clock$/, handle: () => ok(clockJson(book)) },
    { host: trading, method: 'GET', path: /^\/v2\/calendar$/, handle: ({ query }) => calendarJson(book.calendar, query) },
    {
      host: trading,
      method: 'GET',
      path: /^\/v2\/assets\/([^/]+)$/,
      handle: ({ params }) => {
        const asset = book.assets.get(book.symbolOf(params[0]));
        return asset ? ok(assetJson(asset)) : alpacaError(404, 40410000, 'asset not found');
      },
    },
    { host: trading, method: 'GET', path: /^\/v2\/assets$/, handle: () => ok([...book.assets.values()].map(assetJson)) },
    { host: trading, method: 'GET', path: /^\/v2\/account\/activities$/, handle: ({ query }) => listActivities(book, query) },
    {
      host: trading,
      method: 'GET',
      path: /^\/v2\/account\/activities\/([^/]+)$/,
      handle: ({ params, query }) => listActivities(book, query, params[0].toUpperCase()),
    },
    { host: trading, method: 'GET', path: /^\/v2\/account\/portfolio\/history$/, handle: ({ query }) => portfolioHistory(book, query) },
  ];
}
