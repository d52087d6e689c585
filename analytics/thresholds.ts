/**
 * Alert thresholds, checked on every run: the day's loss, the drawdown from
 * the peak, and any one position's unrealised loss. A breach alerts every
 * configured channel, but the same breach is not re-sent within the
 * cool-down, which is remembered in the journal's state (StateStore) so that
 * it holds across cron runs.
 */
import type { Notification, StateStore } from '../src/ports';
import type { ThresholdSettings } from '../src/settings/notify';
import type { AnalyticsReport } from './model/compute';
import { money, pct } from './format';

/** One threshold crossed. `key` identifies it for the cool-down (per symbol for positions). */
export interface Breach {
  key: string;
  title: string;
  text: string;
}

/** Where the last alert time of a breach is kept. */
const stateKey = (breach: Breach) => `analytics.alert.${breach.key}`;

/** Every threshold the report crosses now; thresholds that are unset are not checked. */
export function findBreaches(report: AnalyticsReport, t: ThresholdSettings): Breach[] {
  const out: Breach[] = [];
  const { equity, lastEquity } = report.account;
  if (t.dailyLossPct !== undefined && lastEquity > 0) {
    const loss = (lastEquity - equity) / lastEquity;
    if (loss * 100 >= t.dailyLossPct) {
      out.push({
        key: 'daily_loss',
        title: `Daily loss ${pct(-loss)} breaches ${t.dailyLossPct}%`,
        text: `Equity ${money(equity)} against ${money(lastEquity)} at yesterday's close (ALERT_DAILY_LOSS_PCT=${t.dailyLossPct}).`,
      });
    }
  }
  const dd = report.returns.currentDrawdown;
  if (t.drawdownPct !== undefined && dd !== null && -dd * 100 >= t.drawdownPct) {
    out.push({
      key: 'drawdown',
      title: `Drawdown ${pct(dd)} breaches ${t.drawdownPct}%`,
      text:
        `Below the peak of the ${report.window.start}..${report.window.end} window ` +
        `(max ${pct(report.returns.drawdown.maxDrawdown)}; ALERT_DRAWDOWN_PCT=${t.drawdownPct}).`,
    });
  }
  if (t.positionLossPct !== undefined) {
    for (const p of report.positions) {
      const cost = Math.abs(p.qty * p.avgEntryPrice);
      const loss = cost > 0 ? -p.unrealizedPl / cost : 0;
      if (loss * 100 >= t.positionLossPct) {
        out.push({
          key: `position_loss.${p.symbol}`,
          title: `${p.symbol} ${p.side} down ${pct(-loss)}, breaches ${t.positionLossPct}%`,
          text:
            `${p.qty} ${p.symbol} at ${money(p.avgEntryPrice)}: unrealised ${money(p.unrealizedPl)} ` +
            `(ALERT_POSITION_LOSS_PCT=${t.positionLossPct}).`,
        });
      }
    }
  }
  return out;
}

/** Splits breaches into those due an alert and those still inside their cool-down. */
export function dueForAlert(
  breaches: Breach[],
  store: StateStore,
  now: Date,
  cooldownHours: number,
): { due: Breach[]; coolingDown: Breach[] } {
  const due: Breach[] = [];
  const coolingDown: Breach[] = [];
  for (const b of breaches) {
    const last = Date.parse(store.get(stateKey(b)) ?? '');
    const cooling = Number.isFinite(last) && now.getTime() - last < cooldownHours * 3_600_000;
    (cooling ? coolingDown : due).push(b);
  }
  return { due, coolingDown };
}

/** Records that these breaches were alerted at `now`. */
export function markAlerted(breaches: Breach[], store: StateStore, now: Date): void {
  for (const b of breaches) store.set(stateKey(b), now.toISOString());
}

/** One short alert for all breaches due; the title alone must make sense (it is the SMS). */
export function breachAlert(breaches: Breach[]): Notification {
  return {
    kind: 'alert',
    title: `Trading bot alert: ${breaches.map((b) => b.title).join('; ')}`,
    text: breaches.map((b) => `- ${b.title}\n  ${b.text}`).join('\n'),
  };
}
