/**
 * The three PNG charts, drawn with Chart.js on a server-side canvas. The
 * date axis uses category labels of ISO dates, which keeps trading days
 * evenly spaced (no weekend gaps) and needs no date-adapter package.
 * Each chart has a title, labelled axes with units, and a legend.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { AnalyticsReport } from './compute';
import { pct } from './format';

/** Pixel width of every chart; 2:1 reads well in an email and on a phone. */
export const CHART_WIDTH = 1000;
/** Pixel height of every chart. */
export const CHART_HEIGHT = 500;

/** The written PNGs. */
export interface ChartFiles {
  equityVsSpy: string;
  drawdown: string;
  pnlBySymbol: string;
}

const GREEN = '#1a7f37';
const RED = '#cf222e';
const BLUE = '#0969da';
const GREY = '#6e7781';

/** Shared look: big title, legend on top, axis titles, no animation. */
function options(title: string, xTitle: string, yTitle: string, yTick: (v: number) => string) {
  return {
    responsive: false,
    animation: false as const,
    plugins: {
      title: { display: true, text: title, font: { size: 20, weight: 'bold' as const }, padding: { top: 10, bottom: 6 } },
      legend: { display: true, position: 'top' as const, labels: { font: { size: 14 } } },
    },
    scales: {
      x: { title: { display: true, text: xTitle, font: { size: 14 } }, ticks: { maxTicksLimit: 10, maxRotation: 0, font: { size: 12 } } },
      y: { title: { display: true, text: yTitle, font: { size: 14 } }, ticks: { callback: (v: string | number) => yTick(Number(v)), font: { size: 12 } } },
    },
  };
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
    { label: `Portfolio (${pct(report.returns.totalReturn)})`, data: portfolio, borderColor: BLUE, backgroundColor: BLUE, borderWidth: 2.5, pointRadius: 0, pointStyle: 'line' },
  ];
  if (firstClose !== null) {
    datasets.push({ label: `${sym} (${pct(report.benchmark.totalReturn)})`, data: bench, borderColor: GREY, backgroundColor: GREY, borderWidth: 2, borderDash: [6, 4], pointRadius: 0, pointStyle: 'line', spanGaps: true });
  }
  const title = `Equity vs ${sym}, ${report.window.start} to ${report.window.end}${firstClose === null ? ` (no ${sym} data)` : ''}`;
  return { type: 'line', data: { labels: rows.map((e) => e.date), datasets }, options: lineLegend(options(title, 'Date', 'Index (first day = 100)', (v) => v.toFixed(0))) };
}

/** Legend entries drawn as short lines (dashed for the benchmark) rather than boxes. */
function lineLegend<T extends ReturnType<typeof options>>(o: T): T {
  return { ...o, plugins: { ...o.plugins, legend: { ...o.plugins.legend, labels: { ...o.plugins.legend.labels, usePointStyle: true, pointStyleWidth: 36 } } } };
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
        { label: `Drawdown from peak (max ${pct(worst)})`, data: rows.map((e) => (e.drawdown as number) * 100), borderColor: RED, backgroundColor: 'rgba(207,34,46,0.25)', fill: 'origin', borderWidth: 2, pointRadius: 0 },
      ],
    },
    options: options(`Drawdown (underwater), ${report.window.start} to ${report.window.end}`, 'Date', 'Drawdown (%)', (v) => `${v.toFixed(1)}%`),
  };
}

/** One bar per symbol, realised plus unrealised P&L; gains green, losses red. */
export function pnlBySymbolConfig(report: AnalyticsReport): ChartConfiguration {
  const rows = report.bySymbol;
  // Two stacked datasets (rather than per-bar colours) so the legend explains the colours.
  const gains = rows.map((s) => (s.totalPnl >= 0 ? s.totalPnl : null));
  const losses = rows.map((s) => (s.totalPnl < 0 ? s.totalPnl : null));
  const base = options(`P&L by symbol (realised + unrealised), ${report.window.start} to ${report.window.end}`, 'Symbol', 'P&L (USD)', usd);
  return {
    type: 'bar',
    data: {
      labels: rows.map((s) => s.symbol),
      datasets: [
        { label: 'Gain', data: gains, backgroundColor: GREEN, borderColor: GREEN },
        { label: 'Loss', data: losses, backgroundColor: RED, borderColor: RED },
      ],
    },
    options: { ...base, scales: { x: { ...base.scales.x, stacked: true }, y: { ...base.scales.y, stacked: true } } },
  };
}

/** Compact dollars for an axis: "$1.2k", "-$350", "$0.25" (cents only when the scale is that small). */
function usd(v: number): string {
  const a = Math.abs(v);
  const s = a >= 1000 ? `${(a / 1000).toFixed(a >= 10_000 ? 0 : 1)}k` : a.toFixed(a >= 10 || a === 0 ? 0 : 2);
  return `${v < 0 && s !== '0' ? '-' : ''}$${s}`;
}

/** Renders the three charts into `dir` as `<chart>_<ts>.png`. */
export async function writeCharts(report: AnalyticsReport, dir: string, ts: string): Promise<ChartFiles> {
  const canvas = new ChartJSNodeCanvas({ width: CHART_WIDTH, height: CHART_HEIGHT, backgroundColour: 'white' });
  const render = async (name: string, config: ChartConfiguration) => {
    const file = path.join(dir, `${name}_${ts}.png`);
    await writeFile(file, await canvas.renderToBuffer(config as never, 'image/png'));
    return file;
  };
  // One canvas, drawn in turn: Chart.js on node-canvas is synchronous CPU work anyway.
  const equityVsSpy = await render('equity_vs_spy', equityVsSpyConfig(report));
  const drawdown = await render('drawdown', drawdownConfig(report));
  const pnlBySymbol = await render('pnl_by_symbol', pnlBySymbolConfig(report));
  return { equityVsSpy, drawdown, pnlBySymbol };
}
