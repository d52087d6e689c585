/**
 * The five PNG charts, drawn with Chart.js on a server-side canvas. The
 * date axis uses category labels of ISO dates, which keeps trading days
 * evenly spaced (no weekend gaps) and needs no date-adapter package.
 * Each chart has a title, labelled axes with units, and a legend; a chart
 * without enough data says so inside the picture.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { formatMoney } from '../../src/domain/performance/money';
import { barValuePlugin, BLUE, GREEN, GREY, lineLegend, noticePlugin, options, RED, THIN_DATA_NOTICE } from './chart-style';
import { monthlyReturnsConfig, rollingSharpeConfig } from './charts-tearsheet';
import type { AnalyticsReport } from '../model/compute';
import { pct } from '../format';

/** Pixel width of every chart; 2:1 reads well in an email and on a phone. */
export const CHART_WIDTH = 1000;
/** Pixel height of every chart. */
export const CHART_HEIGHT = 500;

/** The charts, by the name used in code; `CHART_FILES` gives each one's file name. */
export type ChartName = 'equityVsSpy' | 'drawdown' | 'monthlyReturns' | 'rollingSharpe' | 'pnlBySymbol';

/** Each chart's file name stem: `<stem>_<ts>.png`. */
export const CHART_FILES: Record<ChartName, string> = {
  equityVsSpy: 'equity_vs_spy',
  drawdown: 'drawdown',
  monthlyReturns: 'monthly_returns',
  rollingSharpe: 'rolling_sharpe',
  pnlBySymbol: 'pnl_by_symbol',
};

/** The written PNGs. */
export type ChartFiles = Record<ChartName, string>;

/** The notice for charts of the return series: null when there are at least 2 daily returns. */
function thinNotice(report: AnalyticsReport): string | null {
  return report.window.tradingDays < 2 ? THIN_DATA_NOTICE : null;
}

/** Portfolio and benchmark as growth of 100, from the deposit-neutral daily returns. */
export function equityVsSpyConfig(report: AnalyticsReport): ChartConfiguration {
  const rows = report.equity.filter((e) => e.equity !== null);
  let wealth = 100;
  const portfolio = rows.map((e, i) => (i === 0 ? 100 : (wealth *= 1 + (e.dailyReturn ?? 0))));
  const firstClose = rows.find((e) => e.benchmarkClose !== null)?.benchmarkClose ?? null;
  const bench = rows.map((e) => (firstClose && e.benchmarkClose !== null ? (100 * e.benchmarkClose) / firstClose : null));
  const sym = report.benchmark.symbol;
  const datasets: ChartConfiguration<'line'>['data']['datasets'] = [
    {
      label: `Portfolio (${pct(report.returns.totalReturn)})`,
      data: portfolio,
      borderColor: BLUE,
      backgroundColor: BLUE,
      borderWidth: 2.5,
      pointRadius: 0,
      pointStyle: 'line',
    },
  ];
  if (firstClose !== null) {
    datasets.push({
      label: `${sym} (${pct(report.benchmark.totalReturn)})`,
      data: bench,
      borderColor: GREY,
      backgroundColor: GREY,
      borderWidth: 2,
      borderDash: [6, 4],
      pointRadius: 0,
      pointStyle: 'line',
      spanGaps: true,
    });
  }
  const title = `Equity vs ${sym}, ${report.window.start} to ${report.window.end}${firstClose === null ? ` (no ${sym} data)` : ''}`;
  return {
    type: 'line',
    data: { labels: rows.map((e) => e.date), datasets },
    options: lineLegend(options(title, 'Date', 'Index (first day = 100)', (v, d) => v.toFixed(d))),
    plugins: noticePlugin(thinNotice(report)),
  };
}

/** The underwater curve: how far below its peak the account stood each day. */
export function drawdownConfig(report: AnalyticsReport): ChartConfiguration {
  const rows = report.equity.filter((e) => e.drawdown !== null);
  const worst = report.returns.drawdown.maxDrawdown;
  return {
    type: 'line',
    data: {
      labels: rows.map((e) => e.date),
      datasets: [
        {
          label: `Drawdown from peak (max ${pct(worst)})`,
          data: rows.map((e) => (e.drawdown as number) * 100),
          borderColor: RED,
          backgroundColor: 'rgba(207,34,46,0.25)',
          fill: 'origin',
          borderWidth: 2,
          pointRadius: 0,
        },
      ],
    },
    options: options(
      `Drawdown (underwater), ${report.window.start} to ${report.window.end}`,
      'Date',
      'Drawdown (%)',
      (v, d) => `${v.toFixed(Math.max(1, d))}%`,
    ),
    plugins: noticePlugin(thinNotice(report)),
  };
}

/** Pixels per symbol in the P&L chart: room for a bar and its label in a 12px font. */
const PNL_ROW_PX = 26;
/** The P&L chart's title, legend and axis: what its height holds besides the bars. */
const PNL_CHROME_PX = 150;

/** The P&L chart's height for `symbols` bars: CHART_HEIGHT, or taller so every symbol keeps its label. */
export function pnlBySymbolHeight(symbols: number): number {
  return Math.max(CHART_HEIGHT, PNL_CHROME_PX + symbols * PNL_ROW_PX);
}

/**
 * One horizontal bar per symbol, realised plus unrealised P&L, each labelled
 * with its value; gains green, losses red. Every symbol is named on the axis
 * (no label is skipped, whatever their number): the chart grows taller with
 * them (pnlBySymbolHeight).
 */
export function pnlBySymbolConfig(report: AnalyticsReport): ChartConfiguration {
  const rows = report.bySymbol;
  const symbols = rows.map((s) => s.symbol);
  // Two stacked datasets (rather than per-bar colours) so the legend explains the colours.
  const gains = rows.map((s) => (s.totalPnl >= 0 ? s.totalPnl : null));
  const losses = rows.map((s) => (s.totalPnl < 0 ? s.totalPnl : null));
  const base = options(`P&L by symbol (realised + unrealised), ${report.window.start} to ${report.window.end}`, 'P&L (USD)', 'Symbol', usd);
  return {
    type: 'bar',
    data: {
      labels: symbols,
      datasets: [
        { label: 'Gain', data: gains, backgroundColor: GREEN, borderColor: GREEN },
        { label: 'Loss', data: losses, backgroundColor: RED, borderColor: RED },
      ],
    },
    options: {
      ...base,
      indexAxis: 'y',
      scales: {
        // The values run across; `grace` leaves room beside the bars for their labels.
        x: { ...base.scales.y, title: base.scales.x.title, stacked: true, grace: '15%' },
        // Every symbol named: no auto-skipping, one label per bar.
        y: {
          title: base.scales.y.title,
          stacked: true,
          ticks: { autoSkip: false, font: { size: 12 }, callback: (_v: unknown, i: number) => symbols[i] },
        },
      },
    } as never,
    plugins: [barValuePlugin(formatMoney), ...noticePlugin(rows.length ? null : 'no trades or positions in the window')],
  };
}

/** Compact dollars for an axis: "$1.2k", "-$350", "$0.25" (cents only when the scale is that small). */
function usd(v: number): string {
  const a = Math.abs(v);
  const s = a >= 1000 ? `${(a / 1000).toFixed(a >= 10_000 ? 0 : 1)}k` : a.toFixed(a >= 10 || a === 0 ? 0 : 2);
  return `${v < 0 && s !== '0' ? '-' : ''}$${s}`;
}

/** Each chart's configuration, in reading order. */
const CONFIGS: Record<ChartName, (report: AnalyticsReport) => ChartConfiguration> = {
  equityVsSpy: equityVsSpyConfig,
  drawdown: drawdownConfig,
  monthlyReturns: monthlyReturnsConfig,
  rollingSharpe: rollingSharpeConfig,
  pnlBySymbol: pnlBySymbolConfig,
};

/** The P&L chart as a PNG, as tall as its symbols need. */
export function renderPnlBySymbol(report: AnalyticsReport): Promise<Buffer> {
  const canvas = new ChartJSNodeCanvas({
    width: CHART_WIDTH,
    height: pnlBySymbolHeight(report.bySymbol.length),
    backgroundColour: 'white',
  });
  return canvas.renderToBuffer(pnlBySymbolConfig(report) as never, 'image/png');
}

/** Renders the five charts into `dir` as `<chart>_<ts>.png`. */
export async function writeCharts(report: AnalyticsReport, dir: string, ts: string): Promise<ChartFiles> {
  const canvas = new ChartJSNodeCanvas({ width: CHART_WIDTH, height: CHART_HEIGHT, backgroundColour: 'white' });
  const files = {} as ChartFiles;
  // One canvas, drawn in turn: Chart.js on node-canvas is synchronous CPU work anyway.
  for (const name of Object.keys(CONFIGS) as ChartName[]) {
    const file = path.join(dir, `${CHART_FILES[name]}_${ts}.png`);
    const png =
      name === 'pnlBySymbol' ? await renderPnlBySymbol(report) : await canvas.renderToBuffer(CONFIGS[name](report) as never, 'image/png');
    await writeFile(file, png);
    files[name] = file;
  }
  return files;
}
