import { computeReport } from '../../../analytics/model/compute';
import { breachAlert, dueForAlert, findBreaches, markAlerted } from '../../../analytics/thresholds';
import { smsText } from '../../../src/adapters/notify/sms';
import { collected, memoryStateStore } from '../../support/analytics-data';

const NOW = new Date('2024-02-01T22:00:00Z');
const cooldownHours = 12;

/** Up 10%, then down 3% on the last day: drawdown -3%, daily loss 3%. */
const report = computeReport(
  collected([0.1, -0.03], {
    positions: [
      { symbol: 'AAPL', qty: 10, side: 'long', avgEntryPrice: 100, marketValue: 880, unrealizedPl: -120 },
      { symbol: 'MSFT', qty: -5, side: 'short', avgEntryPrice: 400, marketValue: -2020, unrealizedPl: -20 },
    ],
  }),
  NOW,
);

describe('findBreaches', () => {
  it('when no threshold is set, then nothing is breached', () => {
    expect(findBreaches(report, { cooldownHours })).toEqual([]);
  });

  it("when the day lost more than ALERT_DAILY_LOSS_PCT of yesterday's equity, then it is a daily_loss breach", () => {
    expect(findBreaches(report, { cooldownHours, dailyLossPct: 2 }).map((b) => b.key)).toEqual(['daily_loss']);
    expect(findBreaches(report, { cooldownHours, dailyLossPct: 3.5 })).toEqual([]);
  });

  it('when the current drawdown reaches ALERT_DRAWDOWN_PCT, then it is a drawdown breach naming the depth', () => {
    const [b] = findBreaches(report, { cooldownHours, drawdownPct: 3 });
    expect(b.key).toBe('drawdown');
    expect(b.title).toBe('Drawdown -3.00% breaches 3%');
    expect(findBreaches(report, { cooldownHours, drawdownPct: 3.1 })).toEqual([]);
  });

  it('when one position lost more than ALERT_POSITION_LOSS_PCT of its cost, then only that symbol breaches', () => {
    const breaches = findBreaches(report, { cooldownHours, positionLossPct: 10 });
    expect(breaches.map((b) => b.key)).toEqual(['position_loss.AAPL']); // AAPL -12%, MSFT -1%
  });
});

describe('cool-down', () => {
  const breaches = findBreaches(report, { cooldownHours, dailyLossPct: 2, drawdownPct: 2 });

  it('when a breach was alerted within the cool-down, then it is held back; after it, it is due again', () => {
    const store = memoryStateStore();
    expect(dueForAlert(breaches, store, NOW, cooldownHours).due).toHaveLength(2);
    markAlerted(breaches.slice(0, 1), store, NOW);

    const soon = dueForAlert(breaches, store, new Date(NOW.getTime() + 11 * 3_600_000), cooldownHours);
    expect(soon.due.map((b) => b.key)).toEqual(['drawdown']);
    expect(soon.coolingDown.map((b) => b.key)).toEqual(['daily_loss']);
    expect(dueForAlert(breaches, store, new Date(NOW.getTime() + 12 * 3_600_000), cooldownHours).due).toHaveLength(2);
  });

  it('when breaches are alerted, then the message title carries them all and fits an SMS cut', () => {
    const alert = breachAlert(breaches);
    expect(alert).toMatchObject({ kind: 'alert', title: expect.stringContaining('Daily loss -3.00%') });
    expect(alert.kind === 'alert' && alert.title).toContain('Drawdown');
    expect(smsText(alert).length).toBeLessThanOrEqual(160);
  });
});
