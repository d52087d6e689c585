/**
 * The notifiers against real servers: an SMTP server (smtp-server) for email,
 * and local HTTP servers standing in for Twilio's API and a Slack webhook.
 * The real nodemailer, twilio and @slack/webhook packages make the calls.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from 'canvas';
import { RejectedError, TemporaryError } from '../../../src/domain/errors';
import { memoryLogger } from '../../../src/logger';
import type { Notification } from '../../../src/ports';
import { createNotifiers } from '../../../src/adapters/notify';
import { sendAll } from '../../../src/shared/send-all';
import { EmailNotifier } from '../../../src/adapters/notify/email';
import { SlackNotifier } from '../../../src/adapters/notify/slack';
import { SmsNotifier } from '../../../src/adapters/notify/sms';
import { parseNotifySettings } from '../../../src/settings/notify';
import { startHttpCapture, twilioMessageCreated, type HttpCapture } from '../../support/http-capture';
import { parseMime, startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

let dir: string;
let smtp: SmtpSink;
let twilioApi: HttpCapture;
let slackHook: HttpCapture;
let report: Notification;
const alert: Notification = { kind: 'alert', title: 'Drawdown 12.1% exceeds 10%', text: 'Peak 2024-03-01, equity now 87,900.' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'notify-'));
  const canvas = createCanvas(40, 20);
  canvas.getContext('2d').fillRect(0, 0, 40, 20);
  writeFileSync(join(dir, 'chart.png'), canvas.toBuffer('image/png'));
  writeFileSync(join(dir, 'trades.csv'), 'symbol,pnl\nAAPL,12.5\n');
  report = {
    kind: 'report',
    title: 'Trading report 2024-03-01 to 2024-03-29',
    text: 'Total return 4.20%',
    summary: 'Bot 30d: +4.20% vs SPY +2.10%, Sharpe 1.85, max DD -3.1%',
    html: '<html><body><h1>Report</h1><img src="cid:equity-chart"></body></html>',
    sections: [
      { type: 'note', text: 'Short window (20 trading days)' },
      { type: 'facts', facts: Array.from({ length: 12 }, (_, i) => ({ label: `Figure ${i}`, value: `${i}%` })) },
      {
        type: 'list',
        title: 'P&L by symbol',
        items: [
          { label: 'AAPL', value: '$12.50', tone: 'gain' },
          { label: 'TSLA', value: '-$3.00', tone: 'loss' },
        ],
      },
    ],
    attachments: [{ filename: 'trades.csv', path: join(dir, 'trades.csv') }],
    inlineImages: [{ cid: 'equity-chart', filename: 'equity.png', path: join(dir, 'chart.png') }],
  };
});

beforeEach(async () => {
  smtp = await startSmtpSink();
  twilioApi = await startHttpCapture(twilioMessageCreated);
  slackHook = await startHttpCapture();
});

afterEach(async () => {
  await Promise.all([smtp.close(), twilioApi.close(), slackHook.close()]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('email', () => {
  it('when a report is sent, then it arrives with the HTML body, a text alternative, the inline chart and the CSV attached', async () => {
    await new EmailNotifier({ smtpUrl: smtp.url, from: 'bot@example.com', to: ['a@example.com', 'b@example.com'] }).send(report);

    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail.from).toBe('bot@example.com');
    expect(mail.to).toEqual(['a@example.com', 'b@example.com']);
    const { headers, parts } = parseMime(mail.raw);
    expect(headers.subject).toBe('Trading report 2024-03-01 to 2024-03-29');
    expect(parts.find((p) => p.contentType === 'text/plain')?.body.toString()).toContain('Total return 4.20%');
    expect(parts.find((p) => p.contentType === 'text/html')?.body.toString()).toContain('src="cid:equity-chart"');
    const image = parts.find((p) => p.cid === 'equity-chart');
    expect(image).toMatchObject({ contentType: 'image/png', disposition: 'inline' });
    expect(image!.body.subarray(1, 4).toString()).toBe('PNG');
    const csv = parts.find((p) => p.filename === 'trades.csv');
    expect(csv).toMatchObject({ disposition: 'attachment' });
    expect(csv!.body.toString()).toBe('symbol,pnl\nAAPL,12.5\n');
  });

  it('when an alert is sent, then its title is the subject and its text the body', async () => {
    await new EmailNotifier({ smtpUrl: smtp.url, from: 'bot@example.com', to: ['a@example.com'] }).send(alert);
    const { headers, parts } = parseMime(smtp.messages[0].raw);
    expect(headers.subject).toBe(alert.title);
    expect(parts[0].body.toString()).toContain('Peak 2024-03-01');
  });

  it('when the SMTP server is down, then sending throws a TemporaryError', async () => {
    const url = smtp.url;
    await smtp.close();
    const notifier = new EmailNotifier({ smtpUrl: url, from: 'bot@example.com', to: ['a@example.com'], timeoutMs: 2000 });
    await expect(notifier.send(alert)).rejects.toBeInstanceOf(TemporaryError);
  });
});

describe('sms', () => {
  const opts = () => ({
    accountSid: 'AC123',
    authToken: 'tok-secret',
    from: '+15550001111',
    to: ['+15550002222', '+15550003333'],
    apiUrl: twilioApi.origin,
  });

  it('when a report is sent, then Twilio gets one authenticated Messages request per recipient with the short summary', async () => {
    await new SmsNotifier(opts()).send(report);

    expect(twilioApi.requests).toHaveLength(2);
    for (const [i, req] of twilioApi.requests.entries()) {
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
      expect(req.headers.authorization).toBe('Basic ' + Buffer.from('AC123:tok-secret').toString('base64'));
      const form = new URLSearchParams(req.body);
      expect(form.get('From')).toBe('+15550001111');
      expect(form.get('To')).toBe(opts().to[i]);
      expect(form.get('Body')).toBe('Bot 30d: +4.20% vs SPY +2.10%, Sharpe 1.85, max DD -3.1%');
    }
  });

  it('when a summary is longer than one SMS, then whole phrases are dropped from its end', async () => {
    const summary = ['Bot 30d: +4.20%', ...Array.from({ length: 30 }, (_, i) => `phrase ${i}`)].join(', ');
    await new SmsNotifier({ ...opts(), to: ['+15550002222'] }).send({ ...alert, summary });
    const body = new URLSearchParams(twilioApi.requests[0].body).get('Body')!;
    expect(body.length).toBeLessThanOrEqual(160);
    expect(body).toMatch(/^Bot 30d: \+4\.20%, phrase 0, .*, phrase \d+$/);
    expect(summary.startsWith(body + ', ')).toBe(true);
  });

  it('when an alert title is longer than one SMS, then the text is cut to 160 characters', async () => {
    await new SmsNotifier({ ...opts(), to: ['+15550002222'] }).send({ kind: 'alert', title: 'x'.repeat(300), text: '' });
    const body = new URLSearchParams(twilioApi.requests[0].body).get('Body')!;
    expect(body).toHaveLength(160);
    expect(body.endsWith('...')).toBe(true);
  });

  it('when Twilio refuses a number, then sending throws a RejectedError with its message', async () => {
    twilioApi.respond = () => ({ status: 400, body: { code: 21211, message: "The 'To' number is not valid.", status: 400 } });
    const err = await new SmsNotifier({ ...opts(), to: ['+1'] }).send(alert).catch((e) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.message).toContain("The 'To' number is not valid.");
  });
});

describe('slack', () => {
  it('when a report is sent, then the webhook gets a header, its sections as Block Kit blocks and a fallback text', async () => {
    await new SlackNotifier({ webhookUrl: `${slackHook.origin}/services/T0/B0/xyz` }).send(report);
    expect(slackHook.requests).toHaveLength(1);
    expect(slackHook.requests[0].url).toBe('/services/T0/B0/xyz');
    const body = JSON.parse(slackHook.requests[0].body);
    expect(body.text).toBe(report.title);
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'context', 'section', 'section', 'divider', 'section']);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: report.title } });
    expect(body.blocks[1].elements[0]).toEqual({ type: 'mrkdwn', text: 'Short window (20 trading days)' });
    expect(body.blocks[2].fields).toHaveLength(10); // Slack's limit per section
    expect(body.blocks[3].fields).toEqual([
      { type: 'mrkdwn', text: '*Figure 10*\n10%' },
      { type: 'mrkdwn', text: '*Figure 11*\n11%' },
    ]);
    expect(body.blocks[5].text.text).toBe('*P&L by symbol*\n:large_green_circle: `AAPL  ` $12.50\n:red_circle: `TSLA  ` -$3.00');
  });

  it('when an alert is sent, then it posts a header with the title and a section with the text', async () => {
    await new SlackNotifier({ webhookUrl: `${slackHook.origin}/hook` }).send(alert);
    const body = JSON.parse(slackHook.requests[0].body);
    expect(body.blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringContaining(alert.title) } });
    expect(body.blocks[1].text.text).toBe(alert.kind === 'alert' && alert.text);
  });

  it('when the webhook is revoked (404), then sending throws a RejectedError that does not quote the URL', async () => {
    slackHook.respond = () => ({ status: 404, body: 'no_service' });
    const err = await new SlackNotifier({ webhookUrl: `${slackHook.origin}/services/SECRET` }).send(alert).catch((e) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.message).toContain('404');
    expect(err.message).not.toContain('SECRET');
  });
});

describe('sendAll', () => {
  it('when the first channel fails, then the later ones still deliver and each outcome is reported', async () => {
    const deadSmtp = smtp.url;
    await smtp.close();
    const notifiers = createNotifiers(
      parseNotifySettings({
        SMTP_URL: deadSmtp,
        ALERT_EMAIL_FROM: 'bot@example.com',
        ALERT_EMAIL_TO: 'a@example.com',
        TWILIO_ACCOUNT_SID: 'AC1',
        TWILIO_AUTH_TOKEN: 'tok',
        TWILIO_FROM: '+15550001111',
        ALERT_SMS_TO: '+15550002222',
        TWILIO_API_URL: twilioApi.origin,
        SLACK_WEBHOOK_URL: `${slackHook.origin}/hook`,
      }),
    );
    const logger = memoryLogger();

    const deliveries = await sendAll(notifiers, alert, logger);

    expect(deliveries.map((d) => [d.channel, d.ok])).toEqual([
      ['email', false],
      ['sms', true],
      ['slack', true],
    ]);
    expect(deliveries[0].error).toContain('email not sent');
    expect(twilioApi.requests).toHaveLength(1);
    expect(slackHook.requests).toHaveLength(1);
    expect(logger.lines.some((l) => l.includes('notify.failed') && l.includes('email'))).toBe(true);
    smtp = await startSmtpSink(); // afterEach closes it
  });
});
