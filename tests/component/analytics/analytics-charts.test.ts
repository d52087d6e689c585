/**
 * The P&L-by-symbol chart drawn for real (Chart.js on node-canvas) with 20
 * symbols: what is asserted is what Chart.js laid out to draw (the y axis's
 * ticks after auto-skipping, read by a probe plugin at draw time) and the
 * size of the PNG written (read from its IHDR header).
 */
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { CHART_HEIGHT, CHART_WIDTH, pnlBySymbolConfig, pnlBySymbolHeight, renderPnlBySymbol } from '../../../analytics/charts/charts';
import { computeReport, type AnalyticsReport } from '../../../analytics/model/compute';
import { collected } from '../../support/analytics-data';

const SYMBOLS = Array.from({ length: 20 }, (_, i) => `SYM${String.fromCharCode(65 + i)}`);

/** A report whose P&L table has 20 symbols, gains and losses alternating. */
function reportWith(symbols: string[]): AnalyticsReport {
  const report = computeReport(collected([0.01, -0.005, 0.002]), new Date('2024-01-06T00:00:00Z'));
  const bySymbol = symbols.map((symbol, i) => {
    const totalPnl = (i % 2 ? -1 : 1) * (100 + i * 37.5);
    return { symbol, trades: 1, realizedPnl: totalPnl, unrealizedPnl: 0, totalPnl };
  });
  return { ...report, bySymbol };
}

/** Draws `config` on a canvas of `height` and returns the labels the y and x axes carried to draw. */
async function drawnLabels(config: ChartConfiguration, height: number): Promise<{ y: string[]; x: string[] }> {
  const seen = { y: [] as string[], x: [] as string[] };
  const probe: Plugin = {
    id: 'probe',
    afterDraw(chart: Chart) {
      seen.y = chart.scales.y.ticks.map((t) => String(t.label));
      seen.x = chart.scales.x.ticks.map((t) => String(t.label));
    },
  };
  const canvas = new ChartJSNodeCanvas({ width: CHART_WIDTH, height, backgroundColour: 'white' });
  await canvas.renderToBuffer({ ...config, plugins: [...(config.plugins ?? []), probe] } as never, 'image/png');
  return seen;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('P&L by symbol chart', () => {
  it('when 20 symbols are drawn, then every bar has its symbol on the axis, none skipped, and the picture grows to hold them', async () => {
    const report = reportWith(SYMBOLS);
    const config = pnlBySymbolConfig(report);
    // The config: bars lie across, and the symbol axis never skips a label.
    expect((config.options as any).indexAxis).toBe('y');
    expect((config.options as any).scales.y.ticks.autoSkip).toBe(false);
    expect(SYMBOLS.map((_, i) => (config.options as any).scales.y.ticks.callback(i, i))).toEqual(SYMBOLS);

    // What Chart.js laid out to draw: all 20, in order.
    const height = pnlBySymbolHeight(SYMBOLS.length);
    expect((await drawnLabels(config, height)).y).toEqual(SYMBOLS);

    // The PNG written is taller than the other charts, by the rows it needs.
    const size = pngSize(await renderPnlBySymbol(report));
    expect(size).toEqual({ width: CHART_WIDTH, height });
    expect(size.height).toBeGreaterThan(CHART_HEIGHT);
    expect(size.height).toBeGreaterThanOrEqual(20 * 24);
  });

  it('when there are few symbols, then the chart keeps the usual size and still names each bar', async () => {
    const report = reportWith(SYMBOLS.slice(0, 3));
    expect(pngSize(await renderPnlBySymbol(report))).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect((await drawnLabels(pnlBySymbolConfig(report), CHART_HEIGHT)).y).toEqual(SYMBOLS.slice(0, 3));
  });

  it(
    'when the probe watches upright bars at the usual size (the old ' + 'chart), then it sees labels dropped: it would catch a regression',
    async () => {
      const upright: ChartConfiguration = {
        type: 'bar',
        data: { labels: SYMBOLS, datasets: [{ label: 'P&L', data: SYMBOLS.map((_, i) => i) }] },
        options: { responsive: false, animation: false, scales: { x: { ticks: { maxTicksLimit: 10, maxRotation: 0 } } } },
      };
      const { x } = await drawnLabels(upright, CHART_HEIGHT);
      expect(x.length).toBeLessThan(SYMBOLS.length);
    },
  );
});
