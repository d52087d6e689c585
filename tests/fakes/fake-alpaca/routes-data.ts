/**
 * Market Data API (data host): latest trades and historical bars, with
 * Alpaca's feed rules (a free plan gets no SIP data younger than 15 minutes)
 * and `next_page_token` pagination.
 */
import type { Book } from './book';
import { ok, type Route } from './router';
import type { Reply, WireBar } from './types';

const FEEDS = new Set(['iex', 'sip', 'otc', 'boats', 'delayed_sip', 'overnight']);
const HISTORICAL_FEEDS = new Set(['iex', 'sip', 'otc', 'boats']);
const SIP_DELAY_MS = 15 * 60_000;
const TIMEFRAME = /^\d+(Min|T|Hour|H|Day|D|Week|W|Month|M)$/;

const dataError = (status: number, message: string): Reply => ({ status, body: { message } });

/** Refusal for a feed the plan doesn't allow, or undefined when allowed. */
function feedRefusal(book: Book, feed: string | null, allowed: Set<string>, endMs: number): Reply | undefined {
  if (feed === null) return undefined;
  if (!allowed.has(feed)) return dataError(400, `invalid feed: ${feed}`);
  if (feed === 'sip' && book.dataPlan === 'free' && endMs > Date.now() - SIP_DELAY_MS) {
    return dataError(403, 'subscription does not permit querying recent SIP data');
  }
  return undefined;
}

function latestTrade(book: Book, symbol: string, id: number): Record<string, unknown> | undefined {
  const price = book.price(symbol);
  if (price === undefined) return undefined;
  return { t: new Date().toISOString(), x: 'V', p: price, s: 100, c: ['@'], i: id, z: 'C' };
}

/** Bars of `symbols` in [start, end], one flat list in request order, for paging across symbols. */
function selectBars(book: Book, symbols: string[], q: URLSearchParams): { symbol: string; bar: WireBar }[] {
  const start = q.get('start') ? Date.parse(q.get('start')!) : -Infinity;
  const end = q.get('end') ? Date.parse(q.get('end')!) : Infinity;
  const desc = q.get('sort') === 'desc';
  return symbols.flatMap((symbol) => {
    const bars = (book.bars.get(symbol) ?? []).filter((b) => Date.parse(b.t) >= start && Date.parse(b.t) <= end);
    const ordered = [...bars].sort((a, b) => a.t.localeCompare(b.t));
    return (desc ? ordered.reverse() : ordered).map((bar) => ({ symbol, bar }));
  });
}

/** One page of bars and the token of the next (null on the last page). */
function pageBars(
  book: Book,
  symbols: string[],
  q: URLSearchParams,
): { items: { symbol: string; bar: WireBar }[]; next: string | null } | Reply {
  const timeframe = q.get('timeframe');
  if (!timeframe || !TIMEFRAME.test(timeframe)) return dataError(400, `invalid timeframe: ${timeframe ?? ''}`);
  const endMs = q.get('end') ? Date.parse(q.get('end')!) : Date.now();
  const refused = feedRefusal(book, q.get('feed'), HISTORICAL_FEEDS, endMs);
  if (refused) return refused;
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 1000) || 1000, 1), book.barsPageLimit);
  const token = q.get('page_token');
  const offset = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0) return dataError(400, 'invalid page_token');
  const all = selectBars(book, symbols, q);
  const items = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64') : null;
  return { items, next };
}

/** The market-data routes over one book. */
export function dataRoutes(book: Book): Route[] {
  const data = 'data' as const;
  let tradeId = 52983525029461;
  return [
    {
      host: data,
      method: 'GET',
      path: /^\/v2\/stocks\/([^/]+)\/trades\/latest$/,
      handle: ({ params, query }) => {
        const refused = feedRefusal(book, query.get('feed'), FEEDS, Date.now());
        if (refused) return refused;
        const trade = latestTrade(book, params[0], tradeId++);
        return trade ? ok({ symbol: params[0], trade }) : dataError(404, `no trade found for ${params[0]}`);
      },
    },
    {
      host: data,
      method: 'GET',
      path: /^\/v2\/stocks\/trades\/latest$/,
      handle: ({ query }) => {
        const refused = feedRefusal(book, query.get('feed'), FEEDS, Date.now());
        if (refused) return refused;
        const trades: Record<string, unknown> = {};
        for (const s of (query.get('symbols') ?? '').split(',').filter(Boolean)) {
          const trade = latestTrade(book, s, tradeId++);
          if (trade) trades[s] = trade;
        }
        return ok({ trades });
      },
    },
    {
      // Crypto's own feed: keyed by the pair as asked (BTC/USD); an unknown pair or one without a price is left out.
      host: data,
      method: 'GET',
      path: /^\/v1beta3\/crypto\/(us|us-1|us-2|eu-1)\/latest\/trades$/,
      handle: ({ query }) => {
        const trades: Record<string, unknown> = {};
        for (const s of (query.get('symbols') ?? '').split(',').filter(Boolean)) {
          const price = book.isCrypto(book.symbolOf(s)) ? book.price(book.symbolOf(s)) : undefined;
          if (price !== undefined) trades[s] = { t: new Date().toISOString(), p: price, s: 0.01, tks: 'B', i: tradeId++ };
        }
        return ok({ trades });
      },
    },
    {
      host: data,
      method: 'GET',
      path: /^\/v2\/stocks\/bars$/,
      handle: ({ query }) => {
        const symbols = (query.get('symbols') ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (symbols.length === 0) return dataError(400, 'missing symbols');
        const page = pageBars(book, symbols, query);
        if ('status' in page) return page;
        const bars: Record<string, WireBar[]> = {};
        for (const { symbol, bar } of page.items) (bars[symbol] ??= []).push(bar);
        return ok({ bars, next_page_token: page.next });
      },
    },
    {
      host: data,
      method: 'GET',
      path: /^\/v2\/stocks\/([^/]+)\/bars$/,
      handle: ({ params, query }) => {
        const page = pageBars(book, [params[0]], query);
        if ('status' in page) return page;
        return ok({ bars: page.items.map((i) => i.bar), symbol: params[0], next_page_token: page.next });
      },
    },
  ];
}
