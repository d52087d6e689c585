/**
 * The `metrics_<ts>.json` document: every metric under a stable snake_case
 * key, the window's dates, and a note for each metric that is null. Machine
 * readers (cron scripts, dashboards) depend on these names: add keys, never
 * rename them.
 */
import { roundCents } from '../../src/domain/performance/money';
import type { AnalyticsReport } from '../model/compute';
import type { ReturnFigures } from '../model/figures';
import { finiteDeep } from '../format';

/** Money to cents, null kept. */
const cents = (x: number | null) => (x === null ? null : roundCents(x));

/** A series' figures under their JSON names (the benchmark's `spy` object uses the same keys as the top level). */
function figuresJson(f: ReturnFigures): Record<string, unknown> {
  return {
    total_return: f.totalReturn,
    cagr: f.cagr,
    annual_volatility: f.annualVolatility,
    sharpe: f.sharpe,
    sortino: f.sortino,
    max_drawdown: f.maxDrawdown,
    calmar: f.calmar,
    value_at_risk: f.valueAtRisk,
    conditional_value_at_risk: f.conditionalValueAtRisk,
    skew: f.skew,
    kurtosis: f.kurtosis,
    best_day: f.bestDay,
    worst_day: f.worstDay,
    monthly_returns: f.monthlyReturns,
  };
}

/** The JSON document for a report; numbers are finite or null, never NaN or Infinity. */
export function toMetricsJson(report: AnalyticsReport, requested: { from: Date; to: Date }): Record<string, unknown> {
  const { returns: r, benchmark: b, trades: t, tearsheet: ts } = report;
  const p = ts.portfolio;
  return finiteDeep({
    generated_at: report.generatedAt,
    mode: report.mode,
    window: {
      start: report.window.start,
      end: report.window.end,
      trading_days: report.window.tradingDays,
      requested_from: requested.from.toISOString(),
      requested_to: requested.to.toISOString(),
    },
    total_return: r.totalReturn,
    cagr: r.cagr,
    annual_volatility: r.annualVolatility,
    sharpe: r.sharpe,
    sortino: r.sortino,
    max_drawdown: r.drawdown.maxDrawdown,
    max_drawdown_peak: r.drawdown.peakDate,
    max_drawdown_trough: r.drawdown.troughDate,
    max_drawdown_recovery: r.drawdown.recoveryDate,
    current_drawdown: r.currentDrawdown,
    short_window: ts.shortWindow,
    risk_free_rate: ts.riskFreeRate,
    calmar: p.calmar,
    value_at_risk: p.valueAtRisk,
    conditional_value_at_risk: p.conditionalValueAtRisk,
    skew: p.skew,
    kurtosis: p.kurtosis,
    best_day: p.bestDay,
    worst_day: p.worstDay,
    monthly_returns: p.monthlyReturns,
    drawdowns: ts.drawdowns.map((d) => ({ start: d.start, trough: d.trough, end: d.end, depth: d.depth, days: d.days })),
    benchmark: b.symbol,
    spy_total_return: b.totalReturn,
    excess_return: b.excessReturn,
    alpha: b.alpha,
    beta: b.beta,
    spy: ts.benchmark ? figuresJson(ts.benchmark) : null,
    trades: t.trades,
    wins: t.wins,
    losses: t.losses,
    win_rate: t.winRate,
    profit_factor: t.profitFactor,
    average_win: cents(t.averageWin),
    average_loss: cents(t.averageLoss),
    best_trade: cents(t.bestTrade),
    worst_trade: cents(t.worstTrade),
    realized_pnl: roundCents(t.realizedPnl),
    unpriced_round_trips: t.unpricedRoundTrips,
    fills: report.fills.length,
    account: {
      equity: report.account.equity,
      last_equity: report.account.lastEquity,
      cash: report.account.cash,
      buying_power: report.account.buyingPower,
    },
    per_symbol: report.bySymbol.map((s) => ({
      symbol: s.symbol,
      trades: s.trades,
      realized_pnl: roundCents(s.realizedPnl),
      unrealized_pnl: roundCents(s.unrealizedPnl),
      total_pnl: roundCents(s.totalPnl),
    })),
    slippage: report.slippage?.overall
      ? {
          overall_bps: report.slippage.overall.bps,
          fills: report.slippage.overall.fills,
          cost: roundCents(report.slippage.overall.cost),
          per_symbol: report.slippage.bySymbol.map((s) => ({ symbol: s.symbol, bps: s.bps, fills: s.fills, cost: roundCents(s.cost) })),
        }
      : null,
    notes: report.notes,
  });
}
