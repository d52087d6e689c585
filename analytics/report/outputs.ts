/**
 * Writes one run's files into the export folder, all sharing the run's
 * timestamp so older runs stay side by side, and builds the report message
 * that carries them.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Notification } from '../../src/ports';
import { CHART_FILES, writeCharts, type ChartFiles, type ChartName } from '../charts/charts';
import type { AnalyticsReport } from '../model/compute';
import { writeCsvs, type CsvFiles } from './exports-csv';
import { toMetricsJson } from './metrics-json';
import { renderReportHtml, type ChartSources } from './report-html';
import { reportMessage } from './summary';

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
    const taken = await access(path.join(dir, `metrics_${ts}.json`)).then(
      () => true,
      () => false,
    );
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
  const sources = charts ? await chartSources(charts, dataUri) : null;
  const html = path.join(dir, `report_${ts}.html`);
  await writeFile(html, renderReportHtml(report, sources));
  return { dir, ts, csv, metrics, charts, html };
}

/** Each chart mapped through `src`: a data: URI for the file on disk, a `cid:` for the email. */
async function chartSources(charts: ChartFiles, src: (file: string, name: ChartName) => string | Promise<string>): Promise<ChartSources> {
  const out = {} as ChartSources;
  for (const name of Object.keys(charts) as ChartName[]) out[name] = await src(charts[name], name);
  return out;
}

/** Content id of an inline chart in the email: its file stem with dashes (`equity-vs-spy`). */
const cid = (name: ChartName) => CHART_FILES[name].replace(/_/g, '-');

/** The report message for every channel: the summary's forms, HTML with `cid:` charts, the charts inline and the CSVs attached. */
export async function reportNotification(report: AnalyticsReport, files: RunFiles): Promise<Notification> {
  const charts = files.charts;
  const names = charts ? (Object.keys(charts) as ChartName[]) : [];
  return {
    ...reportMessage(report),
    html: renderReportHtml(report, charts ? await chartSources(charts, (_f, name) => `cid:${cid(name)}`) : null),
    attachments: Object.values(files.csv).map((p) => ({ filename: path.basename(p), path: p })),
    inlineImages: charts ? names.map((k) => ({ cid: cid(k), filename: path.basename(charts[k]), path: charts[k] })) : [],
  };
}
