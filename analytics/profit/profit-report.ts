/**
 * The `npm run profit` model: the account, each position with its P&L, the
 * best and worst, long against short, and the realised P&L and win rate of
 * the Performance tab's window. Pure: the use case feeds it what the broker
 * said, and the realised figures are the Performance tab's TOTAL row, from
 * the same FIFO matching, so the terminal and the sheet never disagree.
 */
import type { PerformanceRow } from '../../src/domain/performance/performance';
import type { Account, Position } from '../../src/domain/types';

/** One open position with its P&L. */
export interface PositionLine {
  symbol: string;
  side: 'long' | 'short';
  /** Signed shares: negative for a short. */
  qty: number;
  avgEntryPrice: number;
  /** The broker's last price; market value over quantity when it gave none. */
  price: number | null;
  /** Signed, as the broker reports it: negative for a short. */
  marketValue: number;
  unrealizedPl: number;
  /** Unrealised P&L over the cost basis `|qty × avg entry|`; null without a cost. */
  unrealizedPlPct: number | null;
}

/** One side of the book added up. */
export interface SideTotals {
  count: number;
  marketValue: number;
  unrealizedPl: number;
}

/** Everything `npm run profit` shows. */
export interface ProfitReport {
  mode: 'live' | 'paper' | 'local';
  /** ISO UTC. */
  generatedAt: string;
  account: {
    equity: number;
    cash: number;
    buyingPower: number;
    /** Equity at the previous close. */
    lastEquity: number;
    /** Equity minus the previous close's. */
    todayPnl: number;
    /** todayPnl / lastEquity; null without a previous close. */
    todayPnlPct: number | null;
  };
  /** Best unrealised P&L first. */
  positions: PositionLine[];
  /** Highest and lowest unrealised P&L in dollars; null when flat. */
  best: PositionLine | null;
  worst: PositionLine | null;
  long: SideTotals;
  short: SideTotals;
  /** The Performance tab's TOTAL row over the window. */
  realized: {
    windowDays: number;
    /** ISO UTC bounds of the fills read. */
    from: string;
    to: string;
    fills: number;
    trades: number;
    wins: number;
    losses: number;
    winRate: number | null;
    realizedPnl: number;
    bestTrade: number | null;
    worstTrade: number | null;
    /** Round trips closing a position opened before the window at an unknown price: left out. */
    unpricedRoundTrips: number;
  };
}

/** What the report is built from. */
export interface ProfitInput {
  mode: ProfitReport['mode'];
  now: Date;
  account: Account;
  positions: Position[];
  /** The Performance tab's TOTAL row over the window. */
  total: PerformanceRow;
  window: { days: number; from: Date; to: Date };
  fills: number;
  unpricedRoundTrips: number;
}

/** A position with its price and percentage P&L. */
export function positionLine(p: Position): PositionLine {
  const cost = Math.abs(p.qty * p.avgEntryPrice);
  const price = p.currentPrice ?? (p.qty !== 0 ? p.marketValue / p.qty : null);
  return {
    symbol: p.symbol,
    side: p.side,
    qty: p.qty,
    avgEntryPrice: p.avgEntryPrice,
    price: price !== null && Number.isFinite(price) ? price : null,
    marketValue: p.marketValue,
    unrealizedPl: p.unrealizedPl,
    unrealizedPlPct: cost > 0 ? p.unrealizedPl / cost : null,
  };
}

/** Count, market value and unrealised P&L of the positions on one side. */
function sideTotals(lines: PositionLine[]): SideTotals {
  return {
    count: lines.length,
    marketValue: lines.reduce((s, l) => s + l.marketValue, 0),
    unrealizedPl: lines.reduce((s, l) => s + l.unrealizedPl, 0),
  };
}

/** Builds the report. */
export function buildProfitReport(input: ProfitInput): ProfitReport {
  const { account, total } = input;
  const positions = input.positions.map(positionLine).sort((a, b) => b.unrealizedPl - a.unrealizedPl || a.symbol.localeCompare(b.symbol));
  const todayPnl = account.equity - account.lastEquity;
  return {
    mode: input.mode,
    generatedAt: input.now.toISOString(),
    account: {
      equity: account.equity,
      cash: account.cash,
      buyingPower: account.buyingPower,
      lastEquity: account.lastEquity,
      todayPnl,
      todayPnlPct: account.lastEquity > 0 ? todayPnl / account.lastEquity : null,
    },
    positions,
    best: positions[0] ?? null,
    worst: positions.at(-1) ?? null,
    long: sideTotals(positions.filter((p) => p.side === 'long')),
    short: sideTotals(positions.filter((p) => p.side === 'short')),
    realized: {
      windowDays: input.window.days,
      from: input.window.from.toISOString(),
      to: input.window.to.toISOString(),
      fills: input.fills,
      trades: total.totalTrades,
      wins: total.winningTrades,
      losses: total.losingTrades,
      winRate: total.winRate,
      realizedPnl: total.totalPnl,
      bestTrade: total.bestTrade,
      worstTrade: total.worstTrade,
      unpricedRoundTrips: input.unpricedRoundTrips,
    },
  };
}
