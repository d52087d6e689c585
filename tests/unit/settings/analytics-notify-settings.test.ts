import { ConfigurationError } from '../../../src/domain/errors';
import { configuredChannels, parseExportDir, parseNotifySettings, requireChannels } from '../../../src/settings/notify';

const email = { SMTP_URL: 'smtp://127.0.0.1:2525', ALERT_EMAIL_FROM: 'bot@example.com', ALERT_EMAIL_TO: 'a@x.com, b@x.com' };
const sms = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+1555', ALERT_SMS_TO: '+1666' };

describe('parseNotifySettings', () => {
  it('when nothing is set, then no channel is configured and the cool-down defaults to 12 hours', () => {
    const s = parseNotifySettings({});
    expect(configuredChannels(s)).toEqual([]);
    expect(s.thresholds).toEqual({ cooldownHours: 12, dailyLossPct: undefined, drawdownPct: undefined, positionLossPct: undefined });
  });

  it('when every variable of a channel is set, then it is configured with recipient lists split on commas', () => {
    const s = parseNotifySettings({
      ...email,
      ...sms,
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/x',
      TWILIO_API_URL: 'http://127.0.0.1:9/x',
    });
    expect(configuredChannels(s)).toEqual(['email', 'sms', 'slack']);
    expect(s.email?.to).toEqual(['a@x.com', 'b@x.com']);
    expect(s.sms?.apiUrl).toBe('http://127.0.0.1:9');
  });

  it('when SMTP_URL is set without ALERT_EMAIL_TO, then it is a configuration error naming ALERT_EMAIL_TO', () => {
    const { ALERT_EMAIL_TO: _omit, ...half } = email;
    expect(() => parseNotifySettings(half)).toThrow(ConfigurationError);
    expect(() => parseNotifySettings(half)).toThrow(/^ALERT_EMAIL_TO is not set/);
  });

  it('when only the Twilio credentials are set, then the error names TWILIO_FROM and ALERT_SMS_TO', () => {
    expect(() => parseNotifySettings({ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' })).toThrow(
      /TWILIO_FROM, ALERT_SMS_TO are not set/,
    );
  });

  it('when a threshold is not a number, then the error names it', () => {
    expect(() => parseNotifySettings({ ALERT_DRAWDOWN_PCT: 'ten' })).toThrow(/ALERT_DRAWDOWN_PCT/);
    expect(parseNotifySettings({ ALERT_DRAWDOWN_PCT: '10', ALERT_COOLDOWN_HOURS: '1.5' }).thresholds).toMatchObject({
      drawdownPct: 10,
      cooldownHours: 1.5,
    });
  });

  it('when the webhook URL is not a URL, then the error names SLACK_WEBHOOK_URL', () => {
    expect(() => parseNotifySettings({ SLACK_WEBHOOK_URL: 'hooks.slack.com' })).toThrow(/SLACK_WEBHOOK_URL/);
  });
});

describe('requireChannels', () => {
  it('when a channel is asked for but not configured, then the error names its variables', () => {
    const s = parseNotifySettings(email);
    expect(() => requireChannels(s, ['email'])).not.toThrow();
    expect(() => requireChannels(s, ['email', 'slack'])).toThrow(/--slack was asked for, but SLACK_WEBHOOK_URL is not set/);
  });
});

describe('parseExportDir', () => {
  it('when EXPORT_DIR is unset, then files go under DATA_DIR/analytics', () => {
    expect(parseExportDir({}, '/var/lib/bot')).toBe('/var/lib/bot/analytics');
    expect(parseExportDir({ EXPORT_DIR: '/srv/reports' }, '/var/lib/bot')).toBe('/srv/reports');
  });
});
