/**
 * The channel registry (src/adapters/notify/channels.ts) is the one list its
 * readers follow: the analytics flags and usage, the doctor's lines, and the
 * logger's mask each cover every entry. (That no SDK loads before its
 * notifier is built is tests/component/tooling/module-footprint.test.ts's.)
 */
import { CHANNEL_NAMES, CHANNELS } from '../../../src/adapters/notify/channels';
import { parseCli, USAGE } from '../../../analytics/args';
import { doorsAndBrakes } from '../../../src/doctor/posture';
import { loadSettings, type Env } from '../../../src/settings';
import { configuredEntries } from '../../../src/settings/notify';
import { secretValues } from '../../../src/settings/secrets';

const base: Env = {
  WEBHOOK_SECRET: 'webhook-secret-0123456789',
  API_TOKEN: 'api-token-0123456789abcdef',
  APCA_API_KEY_ID: 'PKTEST',
  APCA_API_SECRET_KEY: 'alpaca-secret-key-xyz',
};
const every: Env = {
  SMTP_URL: 'smtps://bot:smtp-pass-4242@smtp.example.com:465',
  ALERT_EMAIL_FROM: 'bot@example.com',
  ALERT_EMAIL_TO: 'a@example.com, b@example.com',
  TWILIO_ACCOUNT_SID: 'AC123',
  TWILIO_AUTH_TOKEN: 'twilio-token-4242',
  TWILIO_FROM: '+15550001111',
  ALERT_SMS_TO: '+15550002222',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/slack-key-4242',
};

describe('the channel registry', () => {
  it('when the analytics CLI is asked for every channel, then each entry has its flag and a usage line naming its variables', () => {
    expect(parseCli(CHANNEL_NAMES.map((c) => `--${CHANNELS[c].report.flag}`)).channels).toEqual(CHANNEL_NAMES);
    for (const c of CHANNEL_NAMES) {
      expect(USAGE).toContain(`--${CHANNELS[c].report.flag}`);
      expect(USAGE).toContain(`(${CHANNELS[c].variables.join(', ')})`);
    }
  });

  it('when every channel is set, then the doctor has a line for each, saying where it delivers and showing no secret', () => {
    const settings = loadSettings({ ...base, ...every });
    const lines = doorsAndBrakes(settings);
    expect(lines.find((l) => l.name === 'alerts')?.detail).toBe('breaker alerts go to email, sms, slack');
    expect(lines.filter((l) => CHANNEL_NAMES.includes(l.name as never))).toEqual([
      {
        name: 'email',
        outcome: 'pass',
        detail: 'to a@example.com, b@example.com from bot@example.com through smtps://smtp.example.com:465',
      },
      { name: 'sms', outcome: 'pass', detail: 'to +15550002222 from +15550001111, Twilio account AC123' },
      { name: 'slack', outcome: 'pass', detail: 'posts to a webhook at hooks.slack.com' },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/4242/);
  });

  it('when the Slack webhook is plain HTTP to another machine, then the doctor warns; to this machine it does not', () => {
    const slackLine = (url: string) => doorsAndBrakes(loadSettings({ ...base, SLACK_WEBHOOK_URL: url })).find((l) => l.name === 'slack');
    const remote = slackLine('http://hooks.example.com/services/x');
    expect(remote).toMatchObject({ outcome: 'warn', detail: expect.stringContaining('plain HTTP') });
    expect(slackLine('http://127.0.0.1:9000/hook')).toMatchObject({ outcome: 'pass' });
  });

  it("when every channel is set, then the logger's mask holds each entry's secrets", () => {
    const settings = loadSettings({ ...base, ...every });
    const secrets = secretValues(settings);
    for (const c of configuredEntries(settings.notify)) {
      for (const s of c.spec.secrets(c.settings)) expect(secrets).toContain(s);
    }
    expect(secrets).toEqual(expect.arrayContaining(['smtp-pass-4242', 'twilio-token-4242', 'slack-key-4242', every.SLACK_WEBHOOK_URL]));
  });
});
