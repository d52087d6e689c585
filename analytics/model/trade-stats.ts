/**
 * Round-trip statistics and per-symbol P&L. The round trips come from the
 * same FIFO matching as the sheet's Performance tab, and a trade counts as a
 * win or a loss by the same rule (at least a cent either way), so the two
 * never disagree about what happened.
 */
import type { RoundTrip } from '../../src/domain/performance/fifo';
import { roundCents } from '../../src/domain/performance/money';
import type { Position } from '../../src/domain/types';

/** What the closed trades add up to; every ratio is null when undefined. */
export interface TradeStats {
  trades: number;
  wins: number;
  losses: number;
  /** wins / trades. */
  winRate: number | null;
  /** Gross profit / |gross loss|; null without a losing trade. */
  profitFactor: number | null;
  /** Mean P&L of winning trades. */
  averageWin: number | null;
  /** Mean P&L of losing trades (negative). */
  averageLoss: number | null;
  bestTrade: number | null;
  worstTrade: number | null;
  grossProfit: number;
  grossLoss: number;
  realizedPnl: number;
}

/** Realised and unrealised P&L of one symbol. */
export interface SymbolPnl {
  symbol: string;
  trades: number;
  realizedPnl: number;
  unrealizedPnl: number;
  totalPnl: number;
}

/** Stats over round trips whose P&L is known. */
export function tradeStats(roundTrips: readonly RoundTrip[]): TradeStats {
  const pnls = roundTrips.map((t) => t.pnl).filter(Number.isFinite);
  const winners = pnls.filter((p) => roundCents(p) > 0);
  const losers = pnls.filter((p) => roundCents(p) < 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const grossProfit = sum(winners);
  const grossLoss = sum(losers);
  const n = pnls.length;
  return {
    trades: n,
    wins: winners.length,
    losses: losers.length,
    winRate: n ? winners.length / n : null,
    profitFactor: losers.length && grossLoss !== 0 ? grossProfit / Math.abs(grossLoss) : null,
    averageWin: winners.length ? grossProfit / winners.length : null,
    averageLoss: losers.length ? grossLoss / losers.length : null,
    bestTrade: n ? Math.max(...pnls) : null,
    worstTrade: n ? Math.min(...pnls) : null,
    grossProfit,
    grossLoss,
    realizedPnl: sum(pnls),
  };
}

/** P&L per symbol traded or held, sorted by total P&L, best first. */
export function pnlBySymbol(roundTrips: readonly RoundTrip[], positions: readonly Position[]): SymbolPnl[] {
  const bySymbol = new Map<string, SymbolPnl>();
  const row = (symbol: string) => {
    let r = bySymbol.get(symbol);
    if (!r) bySymbol.set(symbol, (r = { symbol, trades: 0, realizedPnl: 0, unrealizedPnl: 0, totalPnl: 0 }));
    return r;
  };
  for (const t of roundTrips) {
    if (!Number.isFinite(t.pnl)) continue;
    const r = row(t.symbol);
    r.trades += 1;
    r.realizedPnl += t.pnl;
  }
  for (const p of positions) {
    if (Number.isFinite(p.unrealizedPl)) row(p.symbol).unrealizedPnl += p.unrealizedPl;
  }
  return [...bySymbol.values()]
    .map((r) => ({ ...r, totalPnl: r.realizedPnl + r.unrealizedPnl }))
    .sort((a, b) => b.totalPnl - a.totalPnl || a.symbol.localeCompare(b.symbol));
}

/** The `n` best and `n` worst priced round trips, best first and worst first. */
export function topAndBottom(roundTrips: readonly RoundTrip[], n: number): { top: RoundTrip[]; bottom: RoundTrip[] } {
  const priced = roundTrips.filter((t) => Number.isFinite(t.pnl));
  const sorted = [...priced].sort((a, b) => b.pnl - a.pnl);
  const top = sorted.slice(0, n).filter((t) => t.pnl > 0);
  const bottom = sorted
    .reverse()
    .slice(0, n)
    .filter((t) => t.pnl < 0);
  return { top, bottom };
}
