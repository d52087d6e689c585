/**
 * The report in short forms: the stdout table (also the plain text of the
 * message), the one-line summary, and the message's sections (the figures,
 * P&L by symbol, the notes) that channels able to lay content out show. All
 * read the same labelled rows, so every channel tells the same story.
 *
 * A short window (under 60 trading days) leads with the period return, and
 * its annualised figures carry "(short window)": a +4.7% month annualises to
 * a CAGR of +73%, which says more about luck than about the strategy.
 */
import type { Notification, Section } from '../../src/ports';
import type { AnalyticsReport } from '../model/compute';
import type { ReturnFigures } from '../model/figures';
import { bps, count, localTime, money, pct, ratio } from '../format';

/** One labelled figure, with the benchmark's beside it when it has one ('' otherwise). */
export type SummaryRow = [label: string, value: string, benchmark: string];

/** What an annualised figure's label carries in a short window. */
export const SHORT_WINDOW_MARK = '(short window)';

/** The headline of every form. */
export function reportTitle(report: AnalyticsReport): string {
  return `Trading report ${report.window.start} to ${report.window.end}`;
}

/** Why a short window's annualised figures are marked; shown under every form's title. */
export const SHORT_WINDOW_WARNING = 'annualised figures are not meaningful yet';

/** The line under the title: mode, trading days, and the short-window warning. */
export function reportSubtitle(report: AnalyticsReport): string {
  const days = `${report.window.tradingDays} trading day${report.window.tradingDays === 1 ? '' : 's'}`;
  return `${report.mode} account, ${days}${report.tearsheet.shortWindow ? `, short window: ${SHORT_WINDOW_WARNING}` : ''}`;
}

/** The key figures, in reading order; the third column is the benchmark's figure. */
export function summaryRows(report: AnalyticsReport): SummaryRow[] {
  const { returns: r, benchmark: b, trades: t, tearsheet: ts } = report;
  const p = ts.portfolio;
  const spy = ts.benchmark;
  const short = ts.shortWindow;
  const annual = (label: string) => (short ? `${label} ${SHORT_WINDOW_MARK}` : label);
  const dd = r.drawdown;
  const s = report.slippage?.overall;
  /** A row whose benchmark cell comes from the same figure of SPY. */
  const both = (label: string, mine: string, pick: (f: ReturnFigures) => string): SummaryRow => [label, mine, spy ? pick(spy) : ''];
  const one = (label: string, mine: string): SummaryRow => [label, mine, ''];
  const periodReturn = both(short ? 'Period return' : 'Total return', pct(r.totalReturn), (f) => pct(f.totalReturn));
  return [
    ...(short ? [periodReturn] : []),
    one('Equity', money(report.account.equity)),
    ...(short ? [] : [periodReturn]),
    both(annual('CAGR'), pct(r.cagr), (f) => pct(f.cagr)),
    both('Annual volatility', pct(r.annualVolatility, 2, false), (f) => pct(f.annualVolatility, 2, false)),
    both(annual('Sharpe'), ratio(r.sharpe), (f) => ratio(f.sharpe)),
    both(annual('Sortino'), ratio(r.sortino), (f) => ratio(f.sortino)),
    both(annual('Calmar'), ratio(p.calmar), (f) => ratio(f.calmar)),
    // Its dates are the first line of the worst-drawdowns table.
    both('Max drawdown', pct(dd.maxDrawdown), (f) => pct(f.maxDrawdown)),
    one('Current drawdown', pct(r.currentDrawdown)),
    both('Daily VaR (95%)', pct(p.valueAtRisk), (f) => pct(f.valueAtRisk)),
    both('Daily CVaR (95%)', pct(p.conditionalValueAtRisk), (f) => pct(f.conditionalValueAtRisk)),
    both('Skew', ratio(p.skew), (f) => ratio(f.skew)),
    both('Kurtosis (excess)', ratio(p.kurtosis), (f) => ratio(f.kurtosis)),
    both('Best day', pct(p.bestDay), (f) => pct(f.bestDay)),
    both('Worst day', pct(p.worstDay), (f) => pct(f.worstDay)),
    one(`Excess return vs ${b.symbol}`, pct(b.excessReturn)),
    one(annual('Alpha (annual)'), pct(b.alpha)),
    one('Beta', ratio(b.beta)),
    one('Trades', count(t.trades)),
    one('Win rate', pct(t.winRate, 1, false)),
    one('Profit factor', ratio(t.profitFactor)),
    one('Average win', money(t.averageWin)),
    one('Average loss', money(t.averageLoss)),
    one('Best trade', money(t.bestTrade)),
    one('Worst trade', money(t.worstTrade)),
    one('Slippage', s ? `${bps(s.bps)} over ${count(s.fills)} order${s.fills === 1 ? '' : 's'}` : 'n/a'),
  ];
}

/** The header of the summary table: the benchmark column only when there is benchmark data. */
export function summaryHeader(report: AnalyticsReport): string[] {
  return report.tearsheet.benchmark ? ['Metric', 'Portfolio', report.benchmark.symbol] : ['Metric', 'Portfolio'];
}

/** The summary rows cut to the header's columns. */
function summaryCells(report: AnalyticsReport): string[][] {
  const width = summaryHeader(report).length;
  return summaryRows(report).map((row) => row.slice(0, width));
}

/** Pads cells into aligned columns; the first row is the header. */
export function textTable(rows: string[][], rightAlign: number[] = []): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (rightAlign.includes(c) ? (cell ?? '').padStart(widths[c]) : (cell ?? '').padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Monthly returns as a text table: one row per year, one column per month, and the year's compounded total. */
export function monthlyTable(monthly: Record<string, number>): string[][] {
  const years = [...new Set(Object.keys(monthly).map((m) => m.slice(0, 4)))].sort();
  const head = ['Year', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Year'];
  return [
    head,
    ...years.map((y) => {
      const cells = Array.from({ length: 12 }, (_, i) => monthly[`${y}-${String(i + 1).padStart(2, '0')}`]);
      const year = cells.reduce((w, x) => (x === undefined ? w : w * (1 + x)), 1) - 1;
      return [y, ...cells.map((x) => (x === undefined ? '' : pct(x, 1))), pct(year, 1)];
    }),
  ];
}

/** The readable summary printed on stdout (and used as the email's plain-text part). */
export function summaryText(report: AnalyticsReport): string {
  const head = `${reportTitle(report)} (${reportSubtitle(report)})`;
  const metrics = textTable([summaryHeader(report), ...summaryCells(report)]);
  const monthly = Object.keys(report.tearsheet.portfolio.monthlyReturns).length
    ? [
        '',
        'Monthly returns',
        textTable(
          monthlyTable(report.tearsheet.portfolio.monthlyReturns),
          Array.from({ length: 13 }, (_, i) => i + 1),
        ),
      ]
    : [];
  const drawdowns = report.tearsheet.drawdowns.length
    ? ['', 'Worst drawdowns', textTable([['Start', 'Trough', 'Recovered', 'Depth', 'Days'], ...drawdownCells(report)], [3, 4])]
    : [];
  const symbols = report.bySymbol.length
    ? textTable(
        [
          ['Symbol', 'Trades', 'Realised', 'Unrealised', 'Total'],
          ...report.bySymbol.map((s) => [s.symbol, String(s.trades), money(s.realizedPnl), money(s.unrealizedPnl), money(s.totalPnl)]),
        ],
        [1, 2, 3, 4],
      )
    : 'No trades or positions in the window.';
  const notes = Object.entries(report.notes).map(([k, v]) => `  ${k}: ${v}`);
  return (
    [
      head,
      '',
      metrics,
      ...monthly,
      ...drawdowns,
      '',
      symbols,
      ...(notes.length ? ['', 'Notes (why some figures are n/a):', ...notes] : []),
    ].join('\n') + '\n'
  );
}

/** The worst drawdowns as display cells: start, trough, recovery (or "not recovered"), depth, days. */
export function drawdownCells(report: AnalyticsReport): string[][] {
  return report.tearsheet.drawdowns.map((d) => [d.start, d.trough, d.end ?? 'not recovered', pct(d.depth), String(d.days)]);
}

/**
 * The gist in one line of phrases, most important first, so a channel with
 * little room (an SMS) keeps the head. A short window leaves Sharpe out: a
 * ratio annualised from a few weeks misleads more than it tells on a phone.
 */
export function summaryLine(report: AnalyticsReport): string {
  const { returns: r, benchmark: b, trades: t } = report;
  const short = report.tearsheet.shortWindow;
  return [
    `Bot ${report.window.start.slice(5)}..${report.window.end.slice(5)}` +
      `${short ? ` (${report.window.tradingDays}d)` : ''}: ${pct(r.totalReturn)}`,
    `${b.symbol} ${pct(b.totalReturn)}`,
    ...(short ? [] : [`Sharpe ${ratio(r.sharpe)}`]),
    `MaxDD ${pct(r.drawdown.maxDrawdown, 1)}`,
    `${t.trades} trades ${pct(t.winRate, 0, false)} win`,
    `Eq ${money(report.account.equity).replace(/\.\d\d$/, '')}`,
  ].join(', ');
}

/** The report laid out: the short-window caveat, the figures (the benchmark's beside), the best and worst symbols, and when it was made. */
export function reportSections(report: AnalyticsReport): Section[] {
  const sym = report.benchmark.symbol;
  const facts = summaryCells(report).map(([label, v, spy]) => ({ label, value: `${v}${spy ? ` (${sym} ${spy})` : ''}` }));
  const short: Section[] = report.tearsheet.shortWindow
    ? [{ type: 'note', text: `Short window (${report.window.tradingDays} trading days): ${SHORT_WINDOW_WARNING}.` }]
    : [];
  const symbols: Section[] = report.bySymbol.length
    ? [
        {
          type: 'list',
          title: 'P&L by symbol',
          items: report.bySymbol
            .slice(0, 10)
            .map((s) => ({ label: s.symbol, value: money(s.totalPnl), tone: s.totalPnl >= 0 ? 'gain' : 'loss' })),
        },
      ]
    : [];
  const generated = localTime(report.generatedAt, report.timezone);
  const made = `${report.mode} account · ${report.window.tradingDays} trading days · generated ${generated}`;
  return [...short, { type: 'facts', facts }, ...symbols, { type: 'note', text: made }];
}

/** The report as a message, without its files (outputs.ts adds the HTML, the charts and the CSVs). */
export function reportMessage(report: AnalyticsReport): Notification {
  return {
    kind: 'report',
    title: `${reportTitle(report)}: ${pct(report.returns.totalReturn)}`,
    text: summaryText(report),
    summary: summaryLine(report),
    sections: reportSections(report),
  };
}
