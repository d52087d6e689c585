/**
 * From the collected raw data to the report: every metric of the issue, each
 * either a finite number or null with a note saying why. Pure.
 */
import { matchFifo, type RoundTrip } from '../../src/domain/performance/fifo';
import {
  alphaBeta,
  annualVolatility,
  cagr,
  maxDrawdown,
  sharpe,
  sortino,
  totalReturn,
  type Drawdown,
} from '../../src/domain/performance/metrics';
import { reconstructOpeningLots } from '../../src/domain/performance/opening-lots';
import { summariseSlippage, type SignalFill, type SlippageSummary } from '../../src/domain/performance/slippage';
import {
  dailyRiskFree,
  ROLLING_DAYS,
  rollingSharpeBeta,
  SHORT_WINDOW_DAYS,
  worstDrawdowns,
  type DrawdownPeriod,
  type RollingPoint,
} from '../../src/domain/performance/tearsheet';
import type { Account, Bar, Fill, PortfolioHistory, Position } from '../../src/domain/types';
import { figureNotes, returnFigures, type ReturnFigures } from './figures';
import { buildEquityRows, nyDate, type EquityRow } from './series';
import { pnlBySymbol, tradeStats, type SymbolPnl, type TradeStats } from './trade-stats';

/** Everything fetched for one run. */
export interface CollectedData {
  mode: 'live' | 'paper' | 'local';
  start: Date;
  end: Date;
  account: Account;
  positions: Position[];
  fills: Fill[];
  history: PortfolioHistory;
  benchmarkSymbol: string;
  benchmark: Bar[];
  /** Filled orders with their alert's price, when the journal has them. */
  signalFills?: SignalFill[];
  /** Why the benchmark bars could not be had, when they failed. */
  benchmarkError?: string;
}

/** The report every output is rendered from. */
export interface AnalyticsReport {
  mode: CollectedData['mode'];
  generatedAt: string;
  /** STATUS_TIMEZONE: the zone times are shown in. */
  timezone: string;
  /** Market dates covered: first and last day of the equity series (or of the request when empty). */
  window: { start: string; end: string; tradingDays: number };
  returns: {
    totalReturn: number | null;
    cagr: number | null;
    annualVolatility: number | null;
    sharpe: number | null;
    sortino: number | null;
    drawdown: Drawdown;
    /** Where the last day stands below the peak (0 or negative). */
    currentDrawdown: number | null;
  };
  benchmark: {
    symbol: string;
    available: boolean;
    totalReturn: number | null;
    alpha: number | null;
    beta: number | null;
    excessReturn: number | null;
  };
  /** quantstats-level figures: the portfolio's, the benchmark's beside them, the worst drawdowns and the rolling view. */
  tearsheet: {
    /** Fewer than SHORT_WINDOW_DAYS trading days: annualised figures are marked, or left out of the SMS. */
    shortWindow: boolean;
    /** The annual RISK_FREE_RATE that Sharpe, Sortino and alpha are measured over. */
    riskFreeRate: number;
    portfolio: ReturnFigures;
    /** The same figures for the benchmark over the days both have a return; null without benchmark data. */
    benchmark: ReturnFigures | null;
    /** The 5 worst drawdowns, worst first. */
    drawdowns: DrawdownPeriod[];
    /** 126-day rolling Sharpe and beta, one point per day from the 126th return. */
    rolling: RollingPoint[];
  };
  trades: TradeStats & { unpricedRoundTrips: number };
  bySymbol: SymbolPnl[];
  slippage: SlippageSummary | null;
  account: Account;
  positions: Position[];
  fills: Fill[];
  roundTrips: RoundTrip[];
  equity: EquityRow[];
  /** Why a metric is null, keyed by its snake_case name. */
  notes: Record<string, string>;
}

/** How figures are measured. */
export interface ComputeOptions {
  /** Annual risk-free rate (RISK_FREE_RATE), a fraction; default 0. */
  riskFreeRate?: number;
  /** Zone for displayed times (STATUS_TIMEZONE); default America/Los_Angeles, as the setting. */
  timezone?: string;
}

/** Builds the report; `now` stamps it. */
export function computeReport(data: CollectedData, now: Date, options: ComputeOptions = {}): AnalyticsReport {
  const riskFreeRate = options.riskFreeRate ?? 0;
  const rf = dailyRiskFree(riskFreeRate);
  const notes: Record<string, string> = {};
  const note = <T>(key: string, value: T | null, why: string): T | null => {
    if (value === null) notes[key] = why;
    return value;
  };
  const equity = buildEquityRows(data.history, data.benchmark);
  const days = equity.filter((r) => r.dailyReturn !== null);
  const r = days.map((d) => d.dailyReturn as number);
  const n = r.length === 0 ? 'the window has none yet (a return needs equity on two market days)' : `the window has ${r.length}`;
  const first = equity.find((e) => e.equity !== null)?.date ?? null;

  const pairs = days.filter((d) => d.benchmarkReturn !== null);
  const available = data.benchmark.length > 0;
  const noBench = data.benchmarkError
    ? `${data.benchmarkSymbol} bars unavailable: ${data.benchmarkError}`
    : `no benchmark data${data.mode === 'local' ? ' in local mode' : ''}`;
  const benchWhy = !available
    ? noBench
    : pairs.length < 2
      ? `needs 2 days with both returns; ${pairs.length} found`
      : `${data.benchmarkSymbol} did not move`;
  const ab = alphaBeta(
    pairs.map((d) => d.dailyReturn as number),
    pairs.map((d) => d.benchmarkReturn as number),
    { riskFree: rf },
  );
  const dates = days.map((d) => d.date);
  const portfolio = returnFigures(r, dates, rf);
  Object.assign(notes, figureNotes(portfolio, r.length, n));
  const benchmarkFigures = pairs.length
    ? returnFigures(
        pairs.map((d) => d.benchmarkReturn as number),
        pairs.map((d) => d.date),
        rf,
      )
    : null;
  const total = note('total_return', totalReturn(r), `no daily return: ${n}`);
  const benchTotal = note(
    'spy_total_return',
    pairs.length ? totalReturn(pairs.map((d) => d.benchmarkReturn as number)) : null,
    available ? `no ${data.benchmarkSymbol} bars on the window's dates` : noBench,
  );
  const dd = maxDrawdown(
    r,
    days.map((d) => d.date),
    first,
  );
  if (dd.maxDrawdown === null) notes.max_drawdown = `no daily return: ${n}`;

  const { roundTrips } = matchFifo(data.fills, reconstructOpeningLots(data.fills, data.positions, data.start));
  const stats = tradeStats(roundTrips);
  const unpriced = roundTrips.filter((t) => !Number.isFinite(t.pnl)).length;
  Object.assign(notes, tradeNotes(stats));
  if (unpriced > 0) {
    notes.unpriced_round_trips =
      `${unpriced} round trip(s) closed positions opened before the window at an unknown price; ` + `left out of the trade stats`;
  }
  const slippage = data.signalFills ? summariseSlippage(data.signalFills) : null;
  if (!slippage?.overall) notes.slippage = data.signalFills ? 'no filled order carried an alert price' : 'no journal with signal prices';

  return {
    mode: data.mode,
    generatedAt: now.toISOString(),
    timezone: options.timezone ?? 'America/Los_Angeles',
    window: { start: first ?? nyDate(data.start), end: equity.at(-1)?.date ?? nyDate(data.end), tradingDays: r.length },
    returns: {
      totalReturn: total,
      cagr: note('cagr', cagr(r), `no daily return: ${n}`),
      annualVolatility: note('annual_volatility', annualVolatility(r), `needs at least 2 daily returns; ${n}`),
      sharpe: note(
        'sharpe',
        sharpe(r, { riskFree: rf }),
        r.length < 2 ? `needs at least 2 daily returns; ${n}` : 'returns have no variance',
      ),
      sortino: note(
        'sortino',
        sortino(r, { riskFree: rf }),
        r.length < 2
          ? `needs at least 2 daily returns; ${n}`
          : `no day below ${riskFreeRate ? 'the risk-free rate' : 'zero'}, so no downside to divide by`,
      ),
      drawdown: dd,
      currentDrawdown: equity.at(-1)?.drawdown ?? null,
    },
    benchmark: {
      symbol: data.benchmarkSymbol,
      available,
      totalReturn: benchTotal,
      alpha: note('alpha', ab.alpha, benchWhy),
      beta: note('beta', ab.beta, benchWhy),
      excessReturn: note('excess_return', total !== null && benchTotal !== null ? total - benchTotal : null, 'needs both total returns'),
    },
    tearsheet: {
      shortWindow: r.length < SHORT_WINDOW_DAYS,
      riskFreeRate,
      portfolio,
      benchmark: benchmarkFigures,
      drawdowns: worstDrawdowns(r, dates, first),
      rolling: rollingSharpeBeta(
        r,
        days.map((d) => d.benchmarkReturn),
        dates,
        { window: ROLLING_DAYS, riskFree: rf },
      ),
    },
    trades: { ...stats, unpricedRoundTrips: unpriced },
    bySymbol: pnlBySymbol(roundTrips, data.positions),
    slippage,
    account: data.account,
    positions: data.positions,
    fills: data.fills,
    roundTrips,
    equity,
    notes: ordered(notes),
  };
}

/** The order notes are listed in: the JSON's key order. */
const NOTE_ORDER = [
  'total_return',
  'cagr',
  'annual_volatility',
  'sharpe',
  'sortino',
  'max_drawdown',
  'calmar',
  'value_at_risk',
  'conditional_value_at_risk',
  'skew',
  'kurtosis',
  'best_day',
  'worst_day',
  'spy_total_return',
  'excess_return',
  'alpha',
  'beta',
  'trades',
  'win_rate',
  'profit_factor',
  'average_win',
  'average_loss',
  'best_trade',
  'worst_trade',
  'unpriced_round_trips',
  'slippage',
];

/** The notes, keys in NOTE_ORDER (others last). */
function ordered(notes: Record<string, string>): Record<string, string> {
  const rank = (k: string) => (NOTE_ORDER.includes(k) ? NOTE_ORDER.indexOf(k) : NOTE_ORDER.length);
  return Object.fromEntries(Object.entries(notes).sort(([a], [b]) => rank(a) - rank(b)));
}

/** Why each null trade statistic is null. */
function tradeNotes(stats: TradeStats): Record<string, string> {
  if (stats.trades === 0) {
    const why = 'no round trip closed in the window';
    return Object.fromEntries(
      ['win_rate', 'profit_factor', 'average_win', 'average_loss', 'best_trade', 'worst_trade'].map((k) => [k, why]),
    );
  }
  const out: Record<string, string> = {};
  if (stats.wins === 0) out.average_win = 'no winning trade';
  if (stats.losses === 0) {
    out.average_loss = 'no losing trade';
    out.profit_factor = 'no losing trade, so no loss to divide by';
  }
  return out;
}
