import { type Request, Router } from 'express';
import { slippageBps } from '../../domain/performance/slippage';
import { normaliseSymbol } from '../../domain/signal/symbol';
import type { OrderJournal, OrderRecord, SignalJournal, SignalRecord } from '../../ports';

/** The most signals one GET /signals returns. */
export const SIGNALS_MAX_LIMIT = 1000;
const ISO_TIME = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;

/** The checked query of GET /signals, or the 400 message. */
export type SignalsQuery = { ok: true; limit: number; symbol?: string; sinceMs?: number } | { ok: false; error: string };

/** Reads `limit` (1–1000, default 50), `symbol` and `since` (ISO time); anything else is refused. */
export function parseSignalsQuery(query: Request['query']): SignalsQuery {
  const single = (name: string): string | undefined | null => {
    const v = query[name];
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : null;
  };
  const unknown = Object.keys(query).find((k) => !['limit', 'symbol', 'since'].includes(k));
  if (unknown) return { ok: false, error: `unknown parameter "${unknown.slice(0, 20)}": use limit, symbol and since` };
  const limitText = single('limit');
  const symbolText = single('symbol');
  const sinceText = single('since');
  if (limitText === null || symbolText === null || sinceText === null) return { ok: false, error: 'each parameter may be given once' };
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '50') || limit < 1 || limit > SIGNALS_MAX_LIMIT) {
    return { ok: false, error: `limit must be a whole number from 1 to ${SIGNALS_MAX_LIMIT}` };
  }
  const symbol = symbolText === undefined ? undefined : normaliseSymbol(symbolText);
  if (symbol === null) return { ok: false, error: 'symbol is not a ticker (letters, digits, . and -, at most 10)' };
  const sinceMs = sinceText === undefined ? undefined : ISO_TIME.test(sinceText) ? Date.parse(sinceText) : NaN;
  if (sinceMs !== undefined && !Number.isFinite(sinceMs))
    return { ok: false, error: 'since must be an ISO time, e.g. 2025-01-02T14:30:00Z' };
  return { ok: true, limit, symbol, sinceMs };
}

/** One signal as GET /signals shows it: what it asked, what became of it, its orders and fills. */
function describe(record: SignalRecord, orders: OrderRecord[]) {
  const { signal } = record;
  return {
    signal_id: record.id,
    received_at: new Date(record.receivedAt).toISOString(),
    symbol: signal.symbol,
    timeframe: signal.timeframeLabel,
    action: signal.action,
    price: signal.price ?? null,
    state: record.state,
    status: record.status ?? null,
    reason: record.reason ?? null,
    decision: record.decision ?? null,
    orders: orders.map((o) => ({
      client_order_id: o.clientOrderId,
      order_id: o.brokerId ?? null,
      leg: o.leg,
      side: o.side,
      qty: o.qty ?? null,
      notional: o.notional ?? null,
      state: o.state,
      broker_status: o.brokerStatus ?? null,
      reason: o.reason ?? null,
    })),
    fills: orders
      .filter((o) => (o.filledQty ?? 0) > 0 && o.filledAvgPrice !== undefined)
      .map((o) => ({
        order_id: o.brokerId ?? o.clientOrderId,
        leg: o.leg,
        side: o.side,
        qty: o.filledQty,
        price: o.filledAvgPrice,
        slippage_bps: signal.price ? Math.round(slippageBps(o.side, signal.price, o.filledAvgPrice!) * 10) / 10 : null,
      })),
  };
}

/** GET /signals (token required, see PROTECTED_PATHS): the journal's signals, newest first. */
export function signalsRouter(journal: SignalJournal & OrderJournal, authorised: (req: Request) => boolean): Router {
  const router = Router();
  router.get('/signals', (req, res) => {
    // Checked here too, so dropping the security middleware can't open the journal.
    if (!authorised(req)) return void res.status(401).json({ error: 'unauthorized: send Authorization: Bearer <API_TOKEN>' });
    const query = parseSignalsQuery(req.query);
    if (!query.ok) return void res.status(400).json({ error: query.error });
    const records = journal.recentSignals(query);
    res.json({ count: records.length, signals: records.map((r) => describe(r, journal.ordersForSignal(r.id))) });
  });
  return router;
}
