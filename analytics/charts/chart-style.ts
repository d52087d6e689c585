/**
 * What every chart shares: colours, the title/legend/axes look, and two
 * small Chart.js plugins (a notice drawn inside a chart that has too little
 * data, and value labels on bars).
 */
import type { Chart, Plugin } from 'chart.js';

export const GREEN = '#1a7f37';
export const RED = '#cf222e';
export const BLUE = '#0969da';
export const GREY = '#6e7781';
export const ORANGE = '#bc4c00';

/** What a chart says when the window has too few days to draw it. */
export const THIN_DATA_NOTICE = 'needs 2 or more trading days';

/** Decimals that tell neighbouring ticks apart: 0 for a step of 5, 1 for 0.5, 2 for 0.05. */
export function tickDecimals(ticks: readonly { value: number }[]): number {
  const step = ticks.length > 1 ? Math.abs(ticks[1].value - ticks[0].value) : 1;
  return step > 0 ? Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9))) : 0;
}

/** Shared look: big title, legend on top, axis titles, no animation. `yTick` gets the decimals the tick step needs. */
export function options(title: string, xTitle: string, yTitle: string, yTick: (v: number, decimals: number) => string) {
  return {
    responsive: false,
    animation: false as const,
    plugins: {
      title: { display: true, text: title, font: { size: 20, weight: 'bold' as const }, padding: { top: 10, bottom: 6 } },
      legend: { display: true, position: 'top' as const, labels: { font: { size: 14 } } },
    },
    scales: {
      x: { title: { display: true, text: xTitle, font: { size: 14 } }, ticks: { maxTicksLimit: 10, maxRotation: 0, font: { size: 12 } } },
      y: {
        title: { display: true, text: yTitle, font: { size: 14 } },
        ticks: {
          callback: (v: string | number, _i: number, ticks: { value: number }[]) => yTick(Number(v), tickDecimals(ticks)),
          font: { size: 12 },
        },
      },
    },
  };
}

/** Legend entries drawn as short lines (dashed for the benchmark) rather than boxes. */
export function lineLegend<T extends ReturnType<typeof options>>(o: T): T {
  return {
    ...o,
    plugins: {
      ...o.plugins,
      legend: { ...o.plugins.legend, labels: { ...o.plugins.legend.labels, usePointStyle: true, pointStyleWidth: 36 } },
    },
  };
}

/** Draws `text` in a framed box in the middle of the plot area, so an empty chart says why it is empty. */
export function noticePlugin(text: string | null): Plugin[] {
  if (text === null) return [];
  return [
    {
      id: 'thinDataNotice',
      afterDraw(chart: Chart) {
        const { ctx, chartArea: a } = chart;
        ctx.save();
        ctx.font = 'bold 26px sans-serif';
        const w = ctx.measureText(text).width + 40;
        const x = (a.left + a.right) / 2;
        const y = (a.top + a.bottom) / 2;
        ctx.fillStyle = '#fff8c5';
        ctx.strokeStyle = '#d4a72c';
        ctx.lineWidth = 2;
        ctx.fillRect(x - w / 2, y - 28, w, 56);
        ctx.strokeRect(x - w / 2, y - 28, w, 56);
        ctx.fillStyle = '#1f2328';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(text, x, y);
        ctx.restore();
      },
    },
  ];
}

/**
 * Writes each bar's value (formatted by `label`) just beyond its end: above
 * a gain and below a loss on upright bars; right of a gain and left of a loss
 * on horizontal ones (`indexAxis: 'y'`).
 */
export function barValuePlugin(label: (v: number) => string): Plugin {
  return {
    id: 'barValues',
    afterDatasetsDraw(chart: Chart) {
      const { ctx } = chart;
      const bars = chart.data.labels?.length ?? 0;
      const horizontal = chart.options.indexAxis === 'y';
      ctx.save();
      ctx.font = `bold ${horizontal ? 12 : bars > 24 ? 10 : bars > 12 ? 12 : 14}px sans-serif`;
      ctx.fillStyle = '#1f2328';
      chart.data.datasets.forEach((ds, i) => {
        chart.getDatasetMeta(i).data.forEach((el, j) => {
          const v = ds.data[j];
          if (typeof v !== 'number') return;
          const { x, y } = el.getProps(['x', 'y'], true) as { x: number; y: number };
          if (horizontal) {
            ctx.textAlign = v >= 0 ? 'left' : 'right';
            ctx.textBaseline = 'middle';
            ctx.fillText(label(v), v >= 0 ? x + 4 : x - 4, y);
          } else {
            ctx.textAlign = 'center';
            ctx.textBaseline = v >= 0 ? 'bottom' : 'top';
            ctx.fillText(label(v), x, v >= 0 ? y - 3 : y + 3);
          }
        });
      });
      ctx.restore();
    },
  };
}
