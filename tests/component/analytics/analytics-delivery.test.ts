/**
 * The analytics run's deliveries end to end: the real notifiers deliver the
 * report to an SMTP server and local HTTP servers (Slack, Twilio); a breached
 * threshold alerts every channel once per cool-down; a failing channel leaves
 * the others delivering and sets the exit code.
 */
import { runAnalytics } from '../../../analytics/run-analytics';
import { memoryStateStore } from '../../support/analytics-data';
import { analyticsFixture, FILLS, window } from '../../support/analytics-fixture';
import { parseMime } from '../../support/smtp-sink';

const run = analyticsFixture();
const { smtp, slack, twilioApi, deps } = run;

describe('analytics against the fake Alpaca', () => {
  it(
    'when the report is sent everywhere, then the email carries the HTML, ' +
      'inline charts and CSVs, and Slack and Twilio get their summaries',
    async () => {
      const result = await runAnalytics(deps(), { ...window, outDir: run.dir, charts: true, channels: ['email', 'sms', 'slack'] });
      expect(result.deliveries.map((d) => [d.channel, d.ok])).toEqual([
        ['email', true],
        ['sms', true],
        ['slack', true],
      ]);

      const report = smtp.messages.map((m) => parseMime(m.raw)).find((m) => m.headers.subject.startsWith('Trading report'))!;
      expect(report.headers.subject).toMatch(/^Trading report 2024-01-02 to 2024-03-25: [+-]\d+\.\d\d%$/);
      const html = report.parts.find((p) => p.contentType === 'text/html')!.body.toString();
      for (const cid of ['equity-vs-spy', 'drawdown', 'monthly-returns', 'rolling-sharpe', 'pnl-by-symbol']) {
        expect(html).toContain(`cid:${cid}`);
        expect(report.parts.find((p) => p.cid === cid)).toMatchObject({ contentType: 'image/png', disposition: 'inline' });
      }
      const attached = report.parts.filter((p) => p.disposition === 'attachment').map((p) => p.filename);
      expect(attached.sort()).toEqual(['account', 'equity', 'fills', 'positions', 'trades'].map((n) => `${n}_${result.files.ts}.csv`));
      expect(
        report.parts
          .find((p) => p.filename?.startsWith('trades_'))!
          .body.toString()
          .split('\n')[0],
      ).toContain('entry_price');
      expect(report.parts.find((p) => p.contentType === 'text/plain')!.body.toString()).toContain('Sharpe (short window)');
      expect(html).toContain('<h2>Monthly returns</h2>');
      expect(html).toContain('<h2>Worst drawdowns</h2>');
      expect(html).toContain('<th style="text-align:right">SPY</th>');
      expect(html).toMatch(
        /Period return<\/td><td style="text-align:right">[+-]\d+\.\d\d%<\/td><td style="text-align:right">[+-]\d+\.\d\d%/,
      );

      const slackReport = slack.requests.map((r) => JSON.parse(r.body)).find((b) => b.blocks[0].text.text.startsWith('Trading report'));
      const fields = slackReport.blocks
        .flatMap((b: { fields?: { text: string }[] }) => b.fields ?? [])
        .map((f: { text: string }) => f.text);
      expect(fields).toContain(`*Trades*\n${FILLS / 2}`);
      expect(fields).toContain('*Slippage*\n+5.0 bp over 1 order');
      const sms = twilioApi.requests.map((r) => new URLSearchParams(r.body).get('Body')!);
      expect(sms.some((b) => b.startsWith('Bot 01-02..03-25 (59d)') && b.length <= 160 && !b.includes('Sharpe'))).toBe(true);
    },
  );

  it('when a threshold is breached, then every channel is alerted once per cool-down and the exit code says so', async () => {
    const store = memoryStateStore();
    const d = deps(store);
    const options = { ...window, outDir: run.dir, charts: false, channels: [] };

    const first = await runAnalytics(d, options);
    expect(first.breaches.map((b) => b.key)).toEqual(['position_loss.TSLA']);
    expect(first.alertDeliveries.map((x) => x.ok)).toEqual([true, true, true]);
    expect(first.exitCode).toBe(5);
    expect(smtp.messages.map((m) => parseMime(m.raw).headers.subject)).toEqual([expect.stringContaining('TSLA long down -10.00%')]);
    expect(twilioApi.requests).toHaveLength(1);
    expect(JSON.parse(slack.requests[0].body).blocks[0].text.text).toContain('TSLA');

    run.now = new Date(run.now.getTime() + 6 * 3_600_000);
    const again = await runAnalytics(d, options);
    expect(again.exitCode).toBe(5);
    expect(again.alerted).toEqual([]);
    expect(smtp.messages).toHaveLength(1);

    run.now = new Date(run.now.getTime() + 7 * 3_600_000);
    const later = await runAnalytics(d, options);
    expect(later.alerted.map((b) => b.key)).toEqual(['position_loss.TSLA']);
    expect(smtp.messages).toHaveLength(2);
    expect(store.data.get('analytics.alert.position_loss.TSLA')).toBe(run.now.toISOString());
  });

  it('when one channel fails, then the others still deliver and the exit code reports the failure', async () => {
    slack.respond = () => ({ status: 500, body: 'down' });
    try {
      const d = { ...deps(), thresholds: { cooldownHours: 12 } };
      const result = await runAnalytics(d, { ...window, outDir: run.dir, charts: false, channels: ['email', 'sms', 'slack'] });
      expect(result.deliveries.map((x) => x.ok)).toEqual([true, true, false]);
      expect(result.exitCode).toBe(4);
      expect(smtp.messages).toHaveLength(1);
      expect(twilioApi.requests).toHaveLength(1);
    } finally {
      slack.respond = () => ({ status: 200, body: 'ok' });
    }
  });
});
