/**
 * The tearsheet in the report: the metrics JSON carries each new figure under
 * the keys, with values worked out independently (numpy/pandas
 * formulas) for a fixed 20-day series; a short window leads with the period
 * return and marks its annualised figures; RISK_FREE_RATE is parsed once.
 */
import { computeReport } from '../../../analytics/model/compute';
import { localTime, shares } from '../../../analytics/format';
import { toMetricsJson } from '../../../analytics/report/metrics-json';
import { renderReportHtml } from '../../../analytics/report/report-html';
import { reportMessage, summaryRows, summaryText } from '../../../analytics/report/summary';
import { slackMessage } from '../../../src/adapters/notify/slack';
import { smsText } from '../../../src/adapters/notify/sms';
import { parseAnalyticsSettings } from '../../../src/settings/analytics';
import { loadSettings } from '../../../src/settings';
import { collected, TEARSHEET_SERIES } from '../../support/analytics-data';

const { R, B } = TEARSHEET_SERIES;
const NOW = new Date('2024-01-31T22:00:00Z');
const requested = { from: new Date('2024-01-02T05:00:00Z'), to: NOW };

describe('metrics JSON tearsheet figures', () => {
  const report = computeReport(collected(R, { bench: B }), NOW);
  const json = toMetricsJson(report, requested) as Record<string, any>;

  it('when the window is the fixed series, then each new figure has the independently computed value', () => {
    expect(json.value_at_risk).toBeCloseTo(-0.0172, 12);
    expect(json.conditional_value_at_risk).toBeCloseTo(-0.021, 12);
    expect(json.skew).toBeCloseTo(-0.2633540032987989, 9);
    expect(json.kurtosis).toBeCloseTo(-0.5975031576539025, 9);
    expect(json.calmar).toBeCloseTo(13.012032266376542, 8);
    expect(json.best_day).toBeCloseTo(0.02, 12);
    expect(json.worst_day).toBeCloseTo(-0.021, 12);
    expect(json.monthly_returns).toEqual({ '2024-01': expect.closeTo(0.027106967956664674, 12) });
    expect(json.short_window).toBe(true);
    expect(json.risk_free_rate).toBe(0);
  });

  it('when the window is the fixed series, then the drawdowns are the worst first and the first one is max_drawdown', () => {
    expect(json.drawdowns).toEqual([
      { start: '2024-01-03', trough: '2024-01-09', end: '2024-01-12', depth: expect.closeTo(-0.030797644032000138, 12), days: 9 },
      { start: '2024-01-12', trough: '2024-01-19', end: '2024-01-24', depth: expect.closeTo(-0.024949294194376193, 12), days: 12 },
      { start: '2024-01-24', trough: '2024-01-26', end: null, depth: expect.closeTo(-0.010981999999999936, 12), days: 6 },
    ]);
    expect(json.drawdowns[0].depth).toBe(json.max_drawdown);
  });

  it('when there is a benchmark, then the spy object carries the same figures for SPY', () => {
    expect(json.spy).toMatchObject({
      total_return: expect.closeTo(0.012730050169702967, 12),
      sharpe: expect.closeTo(1.7090897151176672, 9),
      value_at_risk: expect.closeTo(-0.0091, 12),
      best_day: expect.closeTo(0.011, 12),
    });
    expect(Object.keys(json.spy)).toEqual(
      expect.arrayContaining(['cagr', 'calmar', 'conditional_value_at_risk', 'skew', 'kurtosis', 'worst_day', 'monthly_returns']),
    );
  });

  it('when RISK_FREE_RATE is 5%, then Sharpe, Sortino and alpha use (1.05)^(1/252) - 1 a day', () => {
    const withRf = toMetricsJson(computeReport(collected(R, { bench: B }), NOW, { riskFreeRate: 0.05 }), requested) as Record<string, any>;
    expect(withRf.sharpe).toBeCloseTo(1.6793399547275802, 8);
    expect(withRf.sortino).toBeCloseTo(2.5463048769176213, 8);
    expect(withRf.beta).toBeCloseTo(1.868168363295069, 8);
    expect(withRf.alpha).toBeCloseTo(0.09323417068953543, 8);
    expect(withRf.risk_free_rate).toBe(0.05);
    expect(withRf.cagr).toBeCloseTo(json.cagr, 12); // CAGR does not depend on it
  });

  it('when the window has one day, then the new figures are null with notes, and nothing says NaN', () => {
    const one = toMetricsJson(computeReport(collected([0.01]), NOW), requested) as Record<string, any>;
    expect(one).toMatchObject({
      skew: null,
      kurtosis: null,
      calmar: null,
      value_at_risk: 0.01,
      best_day: 0.01,
      short_window: true,
      spy: null,
      drawdowns: [],
    });
    expect(one.notes).toMatchObject({
      skew: expect.stringContaining('at least 3'),
      kurtosis: expect.stringContaining('at least 4'),
      calmar: expect.any(String),
    });
    expect(JSON.stringify(one)).not.toMatch(/NaN|Infinity/);
  });
});

describe('short windows', () => {
  const short = computeReport(collected(R, { bench: B }), NOW);
  const long = computeReport(
    collected(
      Array.from({ length: 80 }, (_, i) => R[i % 20]),
      { bench: Array.from({ length: 80 }, (_, i) => B[i % 20]) },
    ),
    NOW,
  );

  it('when the window has under 60 trading days, then the summary leads with the period return and marks CAGR, alpha and Sharpe', () => {
    const rows = summaryRows(short).map((r) => r[0]);
    expect(rows[0]).toBe('Period return');
    expect(rows).toEqual(expect.arrayContaining(['CAGR (short window)', 'Sharpe (short window)', 'Alpha (annual) (short window)']));
    const text = summaryText(short);
    expect(text.split('\n')[0]).toContain('short window');
    expect(text).toMatch(/^Metric\s+Portfolio\s+SPY\n-+\s+-+\s+-+\nPeriod return\s+\+2\.71%\s+\+1\.27%$/m);
  });

  it('when the window has under 60 trading days, then the SMS leads with the period return and leaves Sharpe out', () => {
    const sms = smsText(reportMessage(short));
    expect(sms).toMatch(/^Bot 01-02\.\.01-30 \(20d\): \+2\.71%, SPY \+1\.27%/);
    expect(sms).not.toContain('Sharpe');
    expect(smsText(reportMessage(long))).toContain('Sharpe');
  });

  it('when the window has under 60 trading days, then Slack and the HTML report carry the marks too', () => {
    const slack = JSON.stringify(slackMessage(reportMessage(short)).blocks);
    expect(slack).toContain('*CAGR (short window)*');
    expect(slack).toContain('Short window (20 trading days)');
    const html = renderReportHtml(short, null);
    expect(html).toContain('Sharpe (short window)');
    expect(html).toContain('Short window');
  });

  it('when the window has 60 or more trading days, then nothing is marked and Total return follows Equity', () => {
    expect(long.tearsheet.shortWindow).toBe(false);
    const rows = summaryRows(long).map((r) => r[0]);
    expect(rows.slice(0, 3)).toEqual(['Equity', 'Total return', 'CAGR']);
    expect(summaryText(long)).not.toContain('short window');
  });

  it('when rendered as HTML, then it has the monthly table, the worst-drawdowns table and a SPY column', () => {
    const html = renderReportHtml(long, null);
    expect(html).toContain('<h2>Monthly returns</h2>');
    expect(html).toMatch(/<th>Year<\/th><th style="text-align:right">Jan<\/th>/);
    expect(html).toContain('<h2>Worst drawdowns</h2>');
    expect(html).toContain('<th>Metric</th><th style="text-align:right">Portfolio</th><th style="text-align:right">SPY</th>');
  });
});

describe('display', () => {
  it('when a time is shown, then it is in the given zone with its abbreviation', () => {
    expect(localTime('2024-03-26T12:00:00.000Z', 'America/Los_Angeles')).toBe('2024-03-26 05:00 PDT');
    expect(localTime('2024-01-26T12:00:00Z', 'America/New_York')).toBe('2024-01-26 07:00 EST');
  });

  it('when a quantity is fractional, then it shows at most 4 decimals and no float noise', () => {
    expect(shares(10)).toBe('10');
    expect(shares(0.1 + 0.2)).toBe('0.3');
    expect(shares(1.234567891)).toBe('1.2346');
    expect(shares(-5)).toBe('-5');
  });
});

describe('RISK_FREE_RATE', () => {
  it('when unset, then it is 0; a fraction or a percentage is accepted', () => {
    expect(parseAnalyticsSettings({})).toEqual({ riskFreeRate: 0 });
    expect(parseAnalyticsSettings({ RISK_FREE_RATE: '0.045' })).toEqual({ riskFreeRate: 0.045 });
    expect(parseAnalyticsSettings({ RISK_FREE_RATE: '4.5%' }).riskFreeRate).toBeCloseTo(0.045, 12);
  });

  it('when it is not a rate (5 meaning 500%, words), then settings fail naming it and the fix', () => {
    for (const v of ['5', 'abc', '150%']) {
      expect(() => parseAnalyticsSettings({ RISK_FREE_RATE: v })).toThrow(
        /RISK_FREE_RATE=.*fraction like 0\.045 or a percentage like 4\.5%/,
      );
    }
  });

  it('when settings load, then the analytics block carries it', () => {
    expect(loadSettings({ RISK_FREE_RATE: '0.04' }).analytics.riskFreeRate).toBe(0.04);
  });
});
