/**
 * Renders the fake's state in Alpaca's wire shapes (see
 * tests/fixtures/alpaca-samples): money and quantities as strings,
 * timestamps as RFC 3339, nulls where Alpaca sends nulls.
 */
import { type Book, dec } from './book';
import type { AssetState, OrderState, PositionState } from './types';

/** An order as GET/POST /v2/orders returns it; an OCO parent nests its leg in `legs` when `legs` is given. */
export function orderJson(o: OrderState, legs?: OrderState[]): Record<string, unknown> {
  return {
    id: o.id,
    client_order_id: o.client_order_id,
    created_at: o.created_at,
    updated_at: o.updated_at,
    submitted_at: o.submitted_at,
    filled_at: o.filled_at ?? null,
    expired_at: o.expired_at ?? null,
    canceled_at: o.canceled_at ?? null,
    failed_at: o.failed_at ?? null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: o.asset_id,
    // Orders name a crypto pair with its slash (BTC/USD); positions and fills without it, as Alpaca has done.
    symbol: o.symbol,
    asset_class: o.symbol.includes('/') ? 'crypto' : 'us_equity',
    notional: o.notional === undefined ? null : dec(o.notional, 2),
    qty: o.qty === undefined ? null : dec(o.qty),
    filled_qty: dec(o.filled_qty),
    filled_avg_price: o.filled_avg_price === undefined ? null : dec(o.filled_avg_price, 4),
    order_class: o.order_class ?? '',
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: o.position_intent,
    time_in_force: o.time_in_force,
    limit_price: o.limit_price === undefined ? null : dec(o.limit_price, 4),
    stop_price: o.stop_price === undefined ? null : dec(o.stop_price, 4),
    status: o.status,
    extended_hours: o.extended_hours === true,
    legs: legs && legs.length ? legs.map((l) => orderJson(l)) : null,
    trail_percent: o.trail_percent === undefined ? null : dec(o.trail_percent, 4),
    trail_price: null,
    hwm: o.hwm === undefined ? null : dec(o.hwm, 4),
  };
}

/** A position as GET /v2/positions returns it; qty and market value negative for a short. */
export function positionJson(book: Book, p: PositionState): Record<string, unknown> {
  const price = book.markPrice(p);
  const asset = book.assets.get(p.symbol);
  const marketValue = p.qty * price;
  const costBasis = p.qty * p.avgEntryPrice;
  const pl = marketValue - costBasis;
  const plpc = costBasis === 0 ? 0 : pl / Math.abs(costBasis);
  return {
    asset_id: asset?.id ?? '',
    symbol: bareSymbol(p.symbol),
    exchange: asset?.exchange ?? 'NASDAQ',
    asset_class: asset?.class ?? 'us_equity',
    asset_marginable: asset?.marginable ?? true,
    avg_entry_price: dec(p.avgEntryPrice, 4),
    qty: dec(p.qty),
    qty_available: dec(book.qtyAvailable(p.symbol)),
    side: p.qty < 0 ? 'short' : 'long',
    market_value: dec(marketValue, 4),
    cost_basis: dec(costBasis, 4),
    unrealized_pl: dec(pl, 4),
    unrealized_plpc: dec(plpc, 6),
    unrealized_intraday_pl: dec(pl, 4),
    unrealized_intraday_plpc: dec(plpc, 6),
    current_price: dec(price, 4),
    lastday_price: dec(price, 4),
    change_today: '0',
  };
}

/** The account as GET /v2/account returns it. */
export function accountJson(book: Book): Record<string, unknown> {
  const equity = book.equity();
  const buyingPower = book.buyingPower();
  const exposure = book.longMarketValue() - book.shortMarketValue();
  return {
    id: book.accountId,
    account_number: 'PA' + book.accountId.replace(/-/g, '').slice(0, 10).toUpperCase(),
    status: book.accountStatus,
    crypto_status: 'ACTIVE',
    currency: 'USD',
    buying_power: dec(buyingPower, 4),
    regt_buying_power: dec(buyingPower, 4),
    daytrading_buying_power: dec(buyingPower, 4),
    non_marginable_buying_power: dec(Math.max(0, book.cash), 2),
    cash: dec(book.cash, 4),
    accrued_fees: '0',
    pending_transfer_in: '0',
    pending_transfer_out: '0',
    portfolio_value: dec(equity, 4),
    equity: dec(equity, 4),
    last_equity: dec(book.lastEquity, 4),
    long_market_value: dec(book.longMarketValue(), 4),
    short_market_value: dec(book.shortMarketValue(), 4),
    initial_margin: dec(exposure * 0.5, 4),
    maintenance_margin: dec(exposure * 0.3, 4),
    last_maintenance_margin: '0',
    sma: '0',
    daytrade_count: 0,
    multiplier: String(book.multiplier),
    pattern_day_trader: false,
    shorting_enabled: book.shortingEnabled(),
    trade_suspended_by_user: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    created_at: book.createdAt,
  };
}

/** An asset as GET /v2/assets/{symbol} returns it. */
export function assetJson(a: AssetState): Record<string, unknown> {
  return {
    id: a.id,
    class: a.class,
    exchange: a.exchange,
    symbol: a.symbol,
    name: a.name,
    status: a.status,
    tradable: a.tradable,
    marginable: a.marginable,
    maintenance_margin_requirement: 30,
    shortable: a.shortable,
    easy_to_borrow: a.easy_to_borrow,
    fractionable: a.fractionable,
    attributes: [],
    ...(a.class === 'crypto'
      ? {
          min_order_size: dec(a.min_order_size ?? 0),
          min_trade_increment: dec(a.min_trade_increment ?? 0),
          price_increment: dec(a.price_increment ?? 0),
        }
      : {}),
  };
}

/** A symbol as Alpaca's positions and fill activities write a crypto pair: without its slash (`BTCUSD`). */
export function bareSymbol(symbol: string): string {
  return symbol.replace('/', '');
}

/** GET /v2/clock: open or closed as the test set it; next open/close at US hours (13:30–20:00 UTC) on weekdays. */
export function clockJson(book: Book, now = new Date()): Record<string, unknown> {
  const day = (d: Date, h: number, m: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), h, m));
  const nextWeekday = (d: Date) => {
    const n = new Date(d.getTime() + 86_400_000);
    while (n.getUTCDay() === 0 || n.getUTCDay() === 6) n.setTime(n.getTime() + 86_400_000);
    return n;
  };
  const openDay = book.marketOpen ? nextWeekday(now) : now.getUTCHours() < 13 ? now : nextWeekday(now);
  // The test decides whether the market is open, so when "open" after hours the close is an hour away.
  const todayClose = day(now, 20, 0);
  const nextClose = book.marketOpen ? (todayClose > now ? todayClose : new Date(now.getTime() + 3_600_000)) : day(openDay, 20, 0);
  return {
    timestamp: now.toISOString(),
    is_open: book.marketOpen,
    next_open: day(openDay, 13, 30).toISOString(),
    next_close: nextClose.toISOString(),
  };
}
