/**
 * Use case: one analytics run. Collect the window's data, compute the
 * metrics, write the files, alert on breached thresholds, send the report on
 * the channels asked for, and say how it went. The CLI only translates flags
 * into `AnalyticsOptions` and the result into stdout and an exit code.
 */
import { sendAll, type Delivery } from '../src/shared/send-all';
import type { AccountHistory, Broker, Clock, Logger, Notifier, StateStore } from '../src/ports';
import type { ThresholdSettings } from '../src/settings/notify';
import { collect, type SignalFillSource } from './fetch/collect';
import { computeReport, type AnalyticsReport } from './model/compute';
import { exitCodeFor } from './exit-codes';
import { toMetricsJson } from './report/metrics-json';
import { reportNotification, writeOutputs, type RunFiles } from './report/outputs';
import { breachAlert, dueForAlert, findBreaches, markAlerted, type Breach } from './thresholds';

/** The ports and settings a run needs. */
export interface AnalyticsDeps {
  broker: Broker;
  /** Where orders go (`local`, `paper` or `live`), which the report names. */
  mode: 'local' | 'paper' | 'live';
  history: AccountHistory;
  /** The journal, for slippage against alert prices; optional. */
  journal?: SignalFillSource;
  /** Every configured channel: alerts go to all of them, the report to those asked for. */
  notifiers: Notifier[];
  /** Remembers when each breach was last alerted (the journal's state table). */
  stateStore: StateStore;
  thresholds: ThresholdSettings;
  clock: Clock;
  logger: Logger;
  /** Human progress lines (stderr); default: none. */
  progress?: (line: string) => void;
}

/** What to do this run. */
export interface AnalyticsOptions {
  from: Date;
  to: Date;
  /** Folder for the files (EXPORT_DIR or --out). */
  outDir: string;
  charts: boolean;
  /** Channels that get the report, by name (`Notifier.channel`); each must have a notifier in `deps.notifiers`. */
  channels: readonly string[];
  /** Default SPY. */
  benchmarkSymbol?: string;
  /** RISK_FREE_RATE, annual; default 0. */
  riskFreeRate?: number;
  /** STATUS_TIMEZONE, for the times the report shows. */
  timezone?: string;
}

/** How the run went. */
export interface AnalyticsResult {
  report: AnalyticsReport;
  /** The `metrics_<ts>.json` document. */
  metrics: Record<string, unknown>;
  files: RunFiles;
  /** Report deliveries, one per requested channel. */
  deliveries: Delivery[];
  /** Every threshold breached now; `alerted` were sent this run, the rest were cooling down. */
  breaches: Breach[];
  alerted: Breach[];
  alertDeliveries: Delivery[];
  /** See exit-codes.ts. */
  exitCode: number;
}

/** Runs the analytics once; throws only when no report could be produced at all. */
export async function runAnalytics(deps: AnalyticsDeps, options: AnalyticsOptions): Promise<AnalyticsResult> {
  const progress = deps.progress ?? (() => {});
  const requested = { from: options.from, to: options.to };

  const data = await collect({ ...deps, progress }, options.from, options.to, options.benchmarkSymbol ?? 'SPY');
  const report = computeReport(data, deps.clock.now(), { riskFreeRate: options.riskFreeRate, timezone: options.timezone });

  progress(options.charts ? 'writing CSVs, metrics, charts and report…' : 'writing CSVs, metrics and report…');
  const files = await writeOutputs(report, requested, options.outDir, deps.clock.now(), options.charts);
  progress(`wrote ${files.dir}/*_${files.ts}.*`);

  const breaches = findBreaches(report, deps.thresholds);
  const { alerted, alertDeliveries } = await alertOnBreaches(deps, breaches);

  const recipients = deps.notifiers.filter((n) => options.channels.includes(n.channel));
  if (recipients.length) progress(`sending the report by ${recipients.map((n) => n.channel).join(', ')}…`);
  const deliveries = await sendAll(recipients, await reportNotification(report, files), deps.logger);

  const failed = [...deliveries, ...alertDeliveries].some((d) => !d.ok);
  deps.logger.info('analytics.done', {
    ts: files.ts,
    tradingDays: report.window.tradingDays,
    fills: report.fills.length,
    breaches: breaches.length,
    failed,
  });
  return {
    report,
    metrics: toMetricsJson(report, requested),
    files,
    deliveries,
    breaches,
    alerted,
    alertDeliveries,
    exitCode: exitCodeFor(failed, breaches.length > 0),
  };
}

/** Alerts every channel about breaches not in their cool-down; remembers them if any channel delivered. */
async function alertOnBreaches(deps: AnalyticsDeps, breaches: Breach[]): Promise<{ alerted: Breach[]; alertDeliveries: Delivery[] }> {
  const now = deps.clock.now();
  const { due, coolingDown } = dueForAlert(breaches, deps.stateStore, now, deps.thresholds.cooldownHours);
  for (const b of coolingDown) deps.logger.info('analytics.breach_cooling_down', { key: b.key });
  if (due.length === 0) return { alerted: [], alertDeliveries: [] };
  for (const b of due) deps.logger.warn('analytics.breach', { key: b.key, title: b.title });
  if (deps.notifiers.length === 0) return { alerted: [], alertDeliveries: [] };
  const alertDeliveries = await sendAll(deps.notifiers, breachAlert(due), deps.logger);
  // Remember only what reached someone, so a breach alerted nowhere is retried on the next run.
  if (alertDeliveries.some((d) => d.ok)) markAlerted(due, deps.stateStore, now);
  return { alerted: alertDeliveries.some((d) => d.ok) ? due : [], alertDeliveries };
}
