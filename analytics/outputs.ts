/**
 * Writes one run's files into the export folder, all sharing the run's
 * timestamp so older runs stay side by side, and builds the email/SMS/Slack
 * report message that points at them.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Notification } from '../src/ports';
import { writeCharts, type ChartFiles } from './charts';
import type { AnalyticsReport } from './compute';
import { writeCsvs, type CsvFiles } from './exports-csv';
import { pct } from './format';
import { toMetricsJson } from './metrics-json';
import { renderReportHtml } from './report-html';
import { reportTitle, slackBlocks, smsSummary, summaryText } from './summary';

/** Every file of a run. `charts` is null with `--no-charts`. */
export interface RunFiles {
  dir: string;
  ts: string;
  csv: CsvFiles;
  metrics: string;
  charts: ChartFiles | null;
  html: string;
}

/** `20250614-201500` in UTC; with a `-2`, `-3`… suffix if a run already used that second. */
export async function runStamp(dir: string, now: Date): Promise<string> {
  const base = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  for (let i = 1; ; i++) {
    const ts = i === 1 ? base : `${base}-${i}`;
    const taken = await access(path.join(dir, `metrics_${ts}.json`)).then(() => true, () => false);
    if (!taken) return ts;
  }
}

/** Writes CSVs, metrics JSON, charts (unless disabled) and the HTML report. */
export async function writeOutputs(
  report: AnalyticsReport,
  requested: { from: Date; to: Date },
  dir: string,
  now: Date,
  withCharts: boolean,
): Promise<RunFiles> {
  await mkdir(dir, { recursive: true });
  const ts = await runStamp(dir, now);
  const metrics = path.join(dir, `metrics_${ts}.json`);
  const [csv, charts] = await Promise.all([
    writeCsvs(report, dir, ts),
    withCharts ? writeCharts(report, dir, ts) : Promise.resolve(null),
    writeFile(metrics, JSON.stringify(toMetricsJson(report, requested), null, 2) + '\n'),
  ]);
  // The file on disk embeds its charts, so it opens anywhere with nothing beside it.
  const dataUri = async (file: string) => `data:image/png;base64,${(await readFile(file)).toString('base64')}`;
  const sources = charts
    ? { equityVsSpy: await dataUri(charts.equityVsSpy), drawdown: await dataUri(charts.drawdown), pnlBySymbol: await dataUri(charts.pnlBySymbol) }
    : null;
  const html = path.join(dir, `report_${ts}.html`);
  await writeFile(html, renderReportHtml(report, sources));
  return { dir, ts, csv, metrics, charts, html };
}

/** Content ids of the inline charts in the email. */
const CID = { equityVsSpy: 'equity-vs-spy', drawdown: 'drawdown', pnlBySymbol: 'pnl-by-symbol' } as const;

/** The report message for every channel: HTML with `cid:` charts and CSVs for email, a line for SMS, blocks for Slack. */
export function reportNotification(report: AnalyticsReport, files: RunFiles): Notification {
  const charts = files.charts;
  return {
    kind: 'report',
    subject: `${reportTitle(report)}: ${pct(report.returns.totalReturn)}`,
    text: summaryText(report),
    html: renderReportHtml(report, charts ? { equityVsSpy: `cid:${CID.equityVsSpy}`, drawdown: `cid:${CID.drawdown}`, pnlBySymbol: `cid:${CID.pnlBySymbol}` } : null),
    sms: smsSummary(report),
    slackBlocks: slackBlocks(report),
    attachments: Object.values(files.csv).map((p) => ({ filename: path.basename(p), path: p })),
    inlineImages: charts
      ? (Object.keys(CID) as (keyof typeof CID)[]).map((k) => ({ cid: CID[k], filename: path.basename(charts[k]), path: charts[k] }))
      : [],
  };
}
