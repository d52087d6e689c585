/**
 * The HTML report: summary table (with the benchmark beside each return and
 * risk figure), charts, the monthly returns and worst drawdowns tables,
 * positions, per-symbol P&L, top and bottom trades, and the notes. One file
 * with inline CSS and no external resource; the caller decides how the charts
 * are referenced (data: URIs for the file on disk, `cid:` for the email,
 * where clients block data: URIs).
 */
import type { RoundTrip } from '../../src/domain/performance/fifo';
import type { ChartName } from '../charts/charts';
import type { AnalyticsReport } from '../model/compute';
import { count, localTime, money, pct, ratio, shares } from '../format';
import { drawdownCells, monthlyTable, reportTitle, SHORT_WINDOW_WARNING, summaryHeader, summaryRows } from './summary';
import { topAndBottom } from '../model/trade-stats';

/** Where each chart's `<img src>` points; null when charts were not drawn. */
export type ChartSources = Record<ChartName, string>;

/** Escapes text for HTML; symbols and notes come from outside. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A cell: plain text, or text coloured by the sign of `tone`. */
type Cell = string | { text: string; tone: number | null };

/** A table with a header row; `num` marks right-aligned columns; `tone` colours a cell by sign. */
function table(head: string[], rows: Cell[][], num: number[] = []): string {
  const cell = (c: Cell, i: number, tag: string) => {
    const text = typeof c === 'string' ? c : c.text;
    const tone = typeof c === 'string' || c.tone === null || c.tone === 0 ? '' : c.tone > 0 ? ' class="pos"' : ' class="neg"';
    const align = num.includes(i) ? ' style="text-align:right"' : '';
    return `<${tag}${tone}${align}>${escapeHtml(text)}</${tag}>`;
  };
  return `<table><thead><tr>${head.map((h, i) => cell(h, i, 'th')).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => cell(c, i, 'td')).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A money cell coloured by sign. */
const signed = (x: number | null) => ({ text: money(x), tone: x });

/** Rows of round trips for the top/bottom tables; the close time in the report's zone. */
function tripRows(trips: RoundTrip[], zone: string): Cell[][] {
  return trips.map((t) => [
    t.symbol,
    t.direction,
    shares(t.qty),
    money(t.entryPrice),
    money(t.exitPrice),
    localTime(t.exitTime, zone),
    signed(t.pnl),
  ]);
}

/** The monthly table with each return coloured by its sign. */
function monthlyHtml(monthly: Record<string, number>): string {
  const [head, ...rows] = monthlyTable(monthly);
  const tone = (text: string): Cell => ({
    text,
    tone: text === '' ? null : text.startsWith('-') ? -1 : Number(text.replace(/[+%]/g, '')) === 0 ? 0 : 1,
  });
  return table(
    head,
    rows.map(([year, ...cells]) => [year, ...cells.map(tone)]),
    Array.from({ length: 13 }, (_, i) => i + 1),
  );
}

const CSS =
  `body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;max-width:1040px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.sub{color:#57606a;margin:0 0 16px}.warn{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px}` +
  `table{border-collapse:collapse;font-size:14px;margin:4px 0}
th,td{padding:4px 10px;border-bottom:1px solid #eaeef2;text-align:left}th{background:#f6f8fa}
.pos{color:#1a7f37}.neg{color:#cf222e}img{max-width:100%;height:auto;display:block;margin:8px 0}.notes{color:#57606a;font-size:13px}`;

/** The chart pictures, in reading order, with their alt texts. */
const CHART_ALT: Record<ChartName, string> = {
  equityVsSpy: 'Equity vs benchmark',
  drawdown: 'Drawdown',
  monthlyReturns: 'Monthly returns heatmap',
  rollingSharpe: 'Rolling Sharpe and beta',
  pnlBySymbol: 'P&L by symbol',
};

/** The whole report as one HTML document. */
export function renderReportHtml(report: AnalyticsReport, charts: ChartSources | null): string {
  const zone = report.timezone;
  const { top, bottom } = topAndBottom(report.roundTrips, 5);
  const tripHead = ['Symbol', 'Side', 'Qty', 'Entry', 'Exit', 'Closed', 'P&L'];
  const img = (src: string, alt: string) => `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" width="1000">`;
  const ts = report.tearsheet;
  const head = summaryHeader(report);
  const sections = [
    `<h1>${escapeHtml(reportTitle(report))}</h1>`,
    `<p class="sub">` +
      escapeHtml(
        `${report.mode} account · ${report.window.tradingDays} trading days · ${count(report.fills.length)} fills · ` +
          `generated ${localTime(report.generatedAt, zone)}`,
      ) +
      `</p>`,
    ts.shortWindow
      ? `<p class="warn">` +
        escapeHtml(
          `Short window (${report.window.tradingDays} trading days): ${SHORT_WINDOW_WARNING}. ` +
            `The period return is the figure to read.`,
        ) +
        `</p>`
      : '',
    `<h2>Summary</h2>`,
    table(
      head,
      summaryRows(report).map((r) => r.slice(0, head.length)),
      [1, 2],
    ),
    charts ? `<h2>Charts</h2>${(Object.keys(CHART_ALT) as ChartName[]).map((k) => img(charts[k], CHART_ALT[k])).join('')}` : '',
    `<h2>Monthly returns</h2>`,
    Object.keys(ts.portfolio.monthlyReturns).length
      ? monthlyHtml(ts.portfolio.monthlyReturns)
      : '<p>No daily return in the window yet.</p>',
    `<h2>Worst drawdowns</h2>`,
    ts.drawdowns.length
      ? table(
          ['Start', 'Trough', 'Recovered', 'Depth', 'Days'],
          drawdownCells(report).map(([a, b, c, d, e]) => [a, b, c, { text: d, tone: -1 }, e]),
          [3, 4],
        )
      : '<p>No drawdown in the window.</p>',
    `<h2>Open positions</h2>`,
    report.positions.length
      ? table(
          ['Symbol', 'Side', 'Qty', 'Avg entry', 'Price', 'Market value', 'Unrealised P&L'],
          report.positions.map((p) => [
            p.symbol,
            p.side,
            shares(p.qty),
            money(p.avgEntryPrice),
            money(p.currentPrice ?? null),
            money(p.marketValue),
            signed(p.unrealizedPl),
          ]),
          [2, 3, 4, 5, 6],
        )
      : '<p>No open positions.</p>',
    `<h2>P&amp;L by symbol</h2>`,
    report.bySymbol.length
      ? table(
          ['Symbol', 'Trades', 'Realised', 'Unrealised', 'Total'],
          report.bySymbol.map((s) => [s.symbol, String(s.trades), signed(s.realizedPnl), signed(s.unrealizedPnl), signed(s.totalPnl)]),
          [1, 2, 3, 4],
        )
      : '<p>No trades or positions in the window.</p>',
    `<h2>Top trades</h2>`,
    top.length ? table(tripHead, tripRows(top, zone), [2, 3, 4, 6]) : '<p>No winning trade in the window.</p>',
    `<h2>Bottom trades</h2>`,
    bottom.length ? table(tripHead, tripRows(bottom, zone), [2, 3, 4, 6]) : '<p>No losing trade in the window.</p>',
    report.slippage?.overall
      ? `<h2>Slippage against alert prices</h2>${table(
          ['Symbol', 'Orders', 'Slippage', 'Cost'],
          [
            ...report.slippage.bySymbol.map((s) => [s.symbol, String(s.fills), `${ratio(s.bps, 1)} bp`, money(s.cost)]),
            [
              'All',
              String(report.slippage.overall.fills),
              `${ratio(report.slippage.overall.bps, 1)} bp`,
              money(report.slippage.overall.cost),
            ],
          ],
          [1, 2, 3],
        )}<p class="notes">Positive = filled worse than the alert's price.</p>`
      : '',
    Object.keys(report.notes).length
      ? `<h2>Notes</h2><ul class="notes">${Object.entries(report.notes)
          .map(([k, v]) => `<li><b>${escapeHtml(k)}</b>: ${escapeHtml(v)}</li>`)
          .join('')}</ul>`
      : '',
    `<p class="notes">Returns are daily profit/loss over the prior day's equity (deposits and withdrawals excluded); ` +
      `ratios follow empyrical's definitions, 252 days a year, risk-free rate ${escapeHtml(pct(ts.riskFreeRate, 2, false))} a year. ` +
      `VaR and CVaR are historical, at 95%, on daily returns. ` +
      `Times are ${escapeHtml(zone)}. Total return ${escapeHtml(pct(report.returns.totalReturn))}.</p>`,
  ];
  return [
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${escapeHtml(reportTitle(report))}</title><style>${CSS}</style></head>`,
    `<body>${sections.filter(Boolean).join('\n')}</body></html>\n`,
  ].join('');
}
