/**
 * The tearsheet charts: the monthly returns heatmap (years down, months
 * across, the value in each cell) and the 126-day rolling Sharpe with the
 * rolling beta against the benchmark in a panel under it.
 */
import type { Chart, ChartConfiguration } from 'chart.js';
import { ROLLING_DAYS } from '../../src/domain/performance/tearsheet';
import { BLUE, GREEN, noticePlugin, options, ORANGE, THIN_DATA_NOTICE, tickDecimals } from './chart-style';
import type { AnalyticsReport } from '../model/compute';
import { pct } from '../format';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A cell's fill: green for a gain, red for a loss, stronger the further from zero (relative to the largest month). */
function heat(v: number, maxAbs: number): string {
  const t = maxAbs > 0 ? Math.min(1, Math.abs(v) / maxAbs) : 0;
  const [r, g, b] = v >= 0 ? [26, 127, 55] : [207, 34, 46];
  const mix = (c: number) => Math.round(255 + (c - 255) * (0.15 + 0.85 * t));
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

/** Monthly returns as a heatmap; a window with fewer than 2 trading days says so instead. */
export function monthlyReturnsConfig(report: AnalyticsReport): ChartConfiguration {
  const monthly = report.tearsheet.portfolio.monthlyReturns;
  const years = [...new Set(Object.keys(monthly).map((m) => m.slice(0, 4)))].sort();
  const maxAbs = Math.max(0, ...Object.values(monthly).map(Math.abs));
  const thin = report.window.tradingDays < 2;
  const base = options(`Monthly returns, ${report.window.start} to ${report.window.end}`, 'Month', 'Year', String);
  const cells = {
    id: 'heatmapCells',
    beforeDatasetsDraw(chart: Chart) {
      const { ctx, chartArea: a } = chart;
      const w = (a.right - a.left) / 12;
      const h = (a.bottom - a.top) / Math.max(1, years.length);
      ctx.save();
      ctx.font = `bold ${Math.min(18, Math.max(10, h / 3))}px sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      years.forEach((y, row) => {
        MONTHS.forEach((_, col) => {
          const v = monthly[`${y}-${String(col + 1).padStart(2, '0')}`];
          const x0 = a.left + col * w;
          const y0 = a.top + row * h;
          ctx.fillStyle = v === undefined ? '#f6f8fa' : heat(v, maxAbs);
          ctx.fillRect(x0 + 1, y0 + 1, w - 2, h - 2);
          if (v === undefined) return;
          ctx.fillStyle = Math.abs(v) / (maxAbs || 1) > 0.6 ? '#ffffff' : '#1f2328';
          ctx.fillText(pct(v, 1), x0 + w / 2, y0 + h / 2);
        });
      });
      ctx.restore();
    },
  };
  return {
    type: 'bar',
    data: { labels: MONTHS, datasets: [{ label: 'Monthly return', data: [], backgroundColor: GREEN }] },
    options: {
      ...base,
      plugins: { ...base.plugins, legend: { display: false } },
      scales: {
        x: { ...base.scales.x, offset: true, grid: { display: false }, ticks: { autoSkip: false, maxRotation: 0, font: { size: 13 } } },
        y: {
          type: 'category',
          labels: years.length ? years : [''],
          offset: true,
          grid: { display: false },
          title: base.scales.y.title,
          ticks: { font: { size: 13 } },
        },
      },
    } as never,
    plugins: [cells, ...noticePlugin(thin ? THIN_DATA_NOTICE : null)],
  };
}

/** Rolling Sharpe over 126 days, and the rolling beta against the benchmark in a smaller panel under it. */
export function rollingSharpeConfig(report: AnalyticsReport): ChartConfiguration {
  const points = report.tearsheet.rolling;
  const sym = report.benchmark.symbol;
  const days = report.window.tradingDays;
  const notice = days < 2 ? THIN_DATA_NOTICE : points.length === 0 ? `needs ${ROLLING_DAYS} or more trading days (has ${days})` : null;
  const hasBeta = points.some((p) => p.beta !== null);
  const base = options(
    `Rolling ${ROLLING_DAYS}-day Sharpe and beta vs ${sym}, ${report.window.start} to ${report.window.end}`,
    'Date',
    'Sharpe',
    (v, d) => v.toFixed(Math.max(1, d)),
  );
  return {
    type: 'line',
    data: {
      labels: points.map((p) => p.date),
      datasets: [
        {
          label: `Rolling Sharpe (${ROLLING_DAYS} days)`,
          data: points.map((p) => p.sharpe),
          yAxisID: 'y',
          borderColor: BLUE,
          backgroundColor: BLUE,
          borderWidth: 2.5,
          pointRadius: 0,
          spanGaps: true,
        },
        {
          label: hasBeta ? `Rolling beta vs ${sym}` : `Rolling beta (no ${sym} data)`,
          data: points.map((p) => p.beta),
          yAxisID: 'y1',
          borderColor: ORANGE,
          backgroundColor: ORANGE,
          borderWidth: 2,
          pointRadius: 0,
          spanGaps: true,
        },
      ],
    },
    options: {
      ...base,
      scales: {
        x: base.scales.x,
        // Sharpe on top (two thirds of the height), beta in its own panel below.
        // Stacked axes: the one listed first is drawn at the bottom.
        y1: {
          title: { display: true, text: `Beta vs ${sym}`, font: { size: 14 } },
          stack: 'rolling',
          stackWeight: 1,
          position: 'left',
          ticks: {
            callback: (v: string | number, _i: number, ticks: { value: number }[]) => Number(v).toFixed(Math.max(1, tickDecimals(ticks))),
            font: { size: 12 },
          },
          grid: { color: '#eaeef2' },
        },
        y: { ...base.scales.y, stack: 'rolling', stackWeight: 2, offset: true, position: 'left' },
      },
    } as never,
    plugins: noticePlugin(notice),
  };
}
