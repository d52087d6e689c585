/**
 * The report in short forms: the stdout table, the plain-text email, the
 * SMS line (one 160-character segment) and the Slack Block Kit message. All
 * read the same labelled rows, so every channel tells the same story.
 */
import type { AnalyticsReport } from './compute';
import { bps, count, money, pct, ratio } from './format';

/** One labelled figure. */
export type SummaryRow = [label: string, value: string];

/** The headline of every form. */
export function reportTitle(report: AnalyticsReport): string {
  return `Trading report ${report.window.start} to ${report.window.end}`;
}

/** The key figures, in reading order. */
export function summaryRows(report: AnalyticsReport): SummaryRow[] {
  const { returns: r, benchmark: b, trades: t } = report;
  const dd = r.drawdown;
  const ddWhen = dd.peakDate ? ` (peak ${dd.peakDate}, trough ${dd.troughDate}, ${dd.recoveryDate ? `recovered ${dd.recoveryDate}` : 'not recovered'})` : '';
  const s = report.slippage?.overall;
  return [
    ['Equity', money(report.account.equity)],
    ['Total return', pct(r.totalReturn)],
    ['CAGR', pct(r.cagr)],
    ['Annual volatility', pct(r.annualVolatility, 2, false)],
    ['Sharpe', ratio(r.sharpe)],
    ['Sortino', ratio(r.sortino)],
    ['Max drawdown', pct(dd.maxDrawdown) + ddWhen],
    ['Current drawdown', pct(r.currentDrawdown)],
    [`${b.symbol} total return`, pct(b.totalReturn)],
    ['Excess return', pct(b.excessReturn)],
    ['Alpha (annual)', pct(b.alpha)],
    ['Beta', ratio(b.beta)],
    ['Trades', count(t.trades)],
    ['Win rate', pct(t.winRate, 1, false)],
    ['Profit factor', ratio(t.profitFactor)],
    ['Average win', money(t.averageWin)],
    ['Average loss', money(t.averageLoss)],
    ['Best trade', money(t.bestTrade)],
    ['Worst trade', money(t.worstTrade)],
    ['Slippage', s ? `${bps(s.bps)} over ${count(s.fills)} order${s.fills === 1 ? '' : 's'}` : 'n/a'],
  ];
}

/** Pads cells into aligned columns; the first row is the header. */
export function textTable(rows: string[][], rightAlign: number[] = []): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (rightAlign.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The readable summary printed on stdout (and used as the email's plain-text part). */
export function summaryText(report: AnalyticsReport): string {
  const head = `${reportTitle(report)} (${report.mode} account, ${report.window.tradingDays} trading days)`;
  const metrics = textTable([['Metric', 'Value'], ...summaryRows(report)]);
  const symbols = report.bySymbol.length
    ? textTable(
        [['Symbol', 'Trades', 'Realised', 'Unrealised', 'Total'], ...report.bySymbol.map((s) => [s.symbol, String(s.trades), money(s.realizedPnl), money(s.unrealizedPnl), money(s.totalPnl)])],
        [1, 2, 3, 4],
      )
    : 'No trades or positions in the window.';
  const notes = Object.entries(report.notes).map(([k, v]) => `  ${k}: ${v}`);
  return [head, '', metrics, '', symbols, ...(notes.length ? ['', 'Notes (why some figures are n/a):', ...notes] : [])].join('\n') + '\n';
}

/** One SMS segment: the most important figures first, dropping the tail to stay within 160 characters. */
export function smsSummary(report: AnalyticsReport, max = 160): string {
  const { returns: r, benchmark: b, trades: t } = report;
  const parts = [
    `Bot ${report.window.start.slice(5)}..${report.window.end.slice(5)}: ${pct(r.totalReturn)}`,
    `${b.symbol} ${pct(b.totalReturn)}`,
    `Sharpe ${ratio(r.sharpe)}`,
    `MaxDD ${pct(r.drawdown.maxDrawdown, 1)}`,
    `${t.trades} trades ${pct(t.winRate, 0, false)} win`,
    `Eq ${money(report.account.equity).replace(/\.\d\d$/, '')}`,
  ];
  let out = parts[0];
  for (const p of parts.slice(1)) {
    if ((out + ', ' + p).length > max) break;
    out += ', ' + p;
  }
  return out.slice(0, max);
}

/** Slack Block Kit: a header, the figures as two-column fields, the best and worst symbols, and a context line. */
export function slackBlocks(report: AnalyticsReport): unknown[] {
  const rows = summaryRows(report).map(([k, v]) => [k, v.replace(/ \(peak.*$/, '')] as const);
  const fields = (slice: (readonly [string, string])[]) => ({
    type: 'section',
    fields: slice.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })),
  });
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: reportTitle(report) } }];
  // Slack allows at most 10 fields per section.
  for (let i = 0; i < rows.length; i += 10) blocks.push(fields(rows.slice(i, i + 10)));
  if (report.bySymbol.length) {
    const lines = report.bySymbol.slice(0, 10).map((s) => `${s.totalPnl >= 0 ? ':large_green_circle:' : ':red_circle:'} \`${s.symbol.padEnd(6)}\` ${money(s.totalPnl)}`);
    blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: `*P&L by symbol*\n${lines.join('\n')}` } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${report.mode} account · ${report.window.tradingDays} trading days · generated ${report.generatedAt}` }] });
  return blocks;
}
