/**
 * Pure translations from the SDK's Alpaca models (money and quantities as
 * strings) into the domain's types (numbers). No I/O here, so every rule about
 * Alpaca's vocabulary lives in one readable place.
 */
import type { Bar as SdkBar, trading } from '@alpacahq/alpaca-trade-api';
import { canonicalSymbol } from '../../domain/signal/symbol';
import { type TradingDay, tradingDayOf } from '../../domain/trading/session';
import type { Account, Asset, Bar, Fill, MarketClock, Order, OrderState, PortfolioHistory, Position, Side } from '../../domain/types';

/** Alpaca order statuses that end an order without (further) fills. */
const FAILED_STATUSES = new Set(['canceled', 'expired', 'rejected', 'done_for_day', 'replaced']);

/** Why each failed status happened, in words for the sheet's Order Status. */
const FAILED_REASONS: Record<string, string> = {
  canceled: 'the order was canceled',
  expired: 'the order expired',
  rejected: 'Alpaca rejected the order',
  done_for_day: 'the order is done for the day without a fill',
  replaced: 'the order was replaced',
};

/** A number from one of Alpaca's numeric strings; `fallback` when absent or not numeric. */
export function num(value: string | number | null | undefined, fallback = 0): number {
  if (value === null || value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : fallback;
}

/** Like `num`, but undefined when absent, so optional fields stay optional. */
export function optionalNum(value: string | number | null | undefined): number | undefined {
  const n = num(value, Number.NaN);
  return Number.isNaN(n) ? undefined : n;
}

/** Reduces Alpaca's many order statuses to what the bot acts on. */
export function orderState(status: string | undefined): OrderState {
  if (status === 'filled') return 'filled';
  if (status !== undefined && FAILED_STATUSES.has(status)) return 'failed';
  return 'open';
}

/** Alpaca's side words (`buy`, `sell`, `sell_short`, …) as the domain's two sides. */
export function toSide(side: string | undefined): Side {
  return side !== undefined && side.toLowerCase().startsWith('sell') ? 'sell' : 'buy';
}

/** An SDK order as the domain's Order. */
export function toOrder(o: trading.Order): Order {
  const status = String(o.status ?? 'unknown');
  const state = orderState(status);
  const order: Order = {
    id: o.id ?? '',
    clientOrderId: o.clientOrderId ?? '',
    symbol: canonicalSymbol(o.symbol ?? ''),
    side: toSide(o.side),
    status,
    state,
    filledQty: num(o.filledQty),
  };
  const qty = optionalNum(o.qty);
  const notional = optionalNum(o.notional);
  const avg = optionalNum(o.filledAvgPrice);
  if (qty !== undefined) order.qty = qty;
  if (notional !== undefined) order.notional = notional;
  if (avg !== undefined) order.filledAvgPrice = avg;
  if (state === 'failed') order.reason = FAILED_REASONS[status] ?? `the order ended ${status}`;
  if (o.type) order.type = String(o.type);
  // A trailing stop's stop_price is where it stands now (Alpaca moves it with the high-water mark).
  const stop = optionalNum(o.stopPrice);
  const limit = optionalNum(o.limitPrice);
  const trail = optionalNum(o.trailPercent);
  if (stop !== undefined) order.stopPrice = stop;
  if (limit !== undefined) order.limitPrice = limit;
  if (trail !== undefined) order.trailPercent = trail;
  if (o.legs?.length) order.legs = o.legs.map((leg) => toOrder(leg as trading.Order));
  return order;
}

/** An SDK position as the domain's Position; qty is negative for a short whatever sign Alpaca sent. */
export function toPosition(p: trading.Position): Position {
  const side = String(p.side) === 'short' ? 'short' : 'long';
  const size = Math.abs(num(p.qty));
  const position: Position = {
    symbol: canonicalSymbol(p.symbol),
    qty: side === 'short' ? -size : size,
    side,
    avgEntryPrice: num(p.avgEntryPrice),
    marketValue: num(p.marketValue),
    unrealizedPl: num(p.unrealizedPl),
  };
  const current = optionalNum(p.currentPrice);
  if (current !== undefined) position.currentPrice = current;
  return position;
}

/** The account figures the bot uses. */
export function toAccount(a: trading.Account): Account {
  return {
    equity: num(a.equity),
    lastEquity: num(a.lastEquity),
    cash: num(a.cash),
    buyingPower: num(a.buyingPower),
    shortingEnabled: a.shortingEnabled === true,
    status: String(a.status ?? ''),
  };
}

/** Asset facts; a missing easy-to-borrow flag counts as hard to borrow. A crypto asset carries its order minimum and step. */
export function toAsset(a: trading.Assets): Asset {
  const asset: Asset = {
    symbol: canonicalSymbol(a.symbol),
    tradable: a.tradable === true,
    fractionable: a.fractionable === true,
    shortable: a.shortable === true,
    easyToBorrow: a.easyToBorrow === true,
    assetClass: String(a._class) === 'crypto' ? 'crypto' : 'us_equity',
  };
  const minOrderSize = optionalNum(a.minOrderSize);
  const minTradeIncrement = optionalNum(a.minTradeIncrement);
  if (minOrderSize !== undefined) asset.minOrderSize = minOrderSize;
  if (minTradeIncrement !== undefined) asset.minTradeIncrement = minTradeIncrement;
  return asset;
}

/** The market clock with ISO UTC times. */
export function toClock(c: trading.LegacyClock): MarketClock {
  return {
    isOpen: c.isOpen === true,
    timestamp: c.timestamp.toISOString(),
    nextOpen: c.nextOpen.toISOString(),
    nextClose: c.nextClose.toISOString(),
  };
}

/**
 * A calendar day as its sessions, read in New York time; null when its times can't be read. The SDK parses
 * the date into a Date at UTC midnight, so its first ten ISO characters are the date Alpaca sent.
 */
export function toTradingDay(d: trading.LegacyCalendarDay): TradingDay | null {
  const date = d.date instanceof Date ? d.date.toISOString().slice(0, 10) : String(d.date).slice(0, 10);
  return tradingDayOf({ date, open: d.open, close: d.close, sessionOpen: d.sessionOpen, sessionClose: d.sessionClose });
}

/** A FILL activity as a Fill; null when it lacks what FIFO matching needs. */
export function toFill(a: trading.GetAccountActivities200ResponseInner): Fill | null {
  const qty = optionalNum(a.qty);
  const price = optionalNum(a.price);
  if (!a.id || !a.symbol || !a.transactionTime || qty === undefined || price === undefined) return null;
  return {
    id: a.id,
    symbol: canonicalSymbol(a.symbol),
    side: toSide(a.side),
    qty: Math.abs(qty),
    price,
    time: a.transactionTime.toISOString(),
    orderId: a.orderId ?? '',
  };
}

/**
 * Portfolio history with unix-second timestamps. Alpaca sends seconds, but its
 * own documentation example uses milliseconds, so large values are scaled.
 */
export function toPortfolioHistory(h: trading.PortfolioHistory): PortfolioHistory {
  const nullable = (xs: Array<number | null> | undefined) => (xs ?? []).map((x) => (x === null || x === undefined ? null : Number(x)));
  return {
    timestamp: (h.timestamp ?? []).map((t) => (t > 1e11 ? Math.round(t / 1000) : t)),
    equity: nullable(h.equity),
    profitLoss: nullable(h.profitLoss),
    baseValue: num(h.baseValue),
  };
}

/** A canonical SDK bar as the domain's Bar. */
export function toBar(b: SdkBar): Bar {
  return { t: b.timestamp.toISOString(), o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume };
}

/** A quantity as Alpaca wants it on the wire: a plain decimal string, at most 9 places. */
export function qtyString(qty: number): string {
  return trimDecimal(qty.toFixed(9));
}

/** A dollar amount as Alpaca wants it: at most 2 places, floored so it never exceeds what was asked. */
export function notionalString(dollars: number): string {
  return trimDecimal((Math.floor(dollars * 100 + 1e-6) / 100).toFixed(2));
}

function trimDecimal(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
