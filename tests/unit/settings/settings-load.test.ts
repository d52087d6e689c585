import { writeFileSync } from 'node:fs';
import { ConfigurationError } from '../../../src/domain/errors';
import { memoryLogger } from '../../../src/logger';
import { loadSettings, type Env } from '../../../src/settings';
import { readServiceAccountKey } from '../../../src/settings/google-key';
import { secretValues } from '../../../src/settings/secrets';
import { createServiceAccount, type TestServiceAccount } from '../../support/service-account';

const SECRET = 'webhook-secret-0123456789';
const TOKEN = 'api-token-0123456789abcdef';
const alpaca = (extra: Env = {}): Env => ({
  WEBHOOK_SECRET: SECRET,
  API_TOKEN: TOKEN,
  APCA_API_KEY_ID: 'PKTEST',
  APCA_API_SECRET_KEY: 'alpaca-secret-key-xyz',
  ...extra,
});
const errorOf = (env: Env): string => {
  try {
    loadSettings(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error('loadSettings accepted it');
};

describe('paper and live', () => {
  it("when APCA_API_BASE_URL is Alpaca's live host and ALPACA_PAPER is left at true, then start-up stops naming both", () => {
    const message = errorOf(alpaca({ APCA_API_BASE_URL: 'https://api.alpaca.markets' }));
    expect(message).toMatch(/APCA_API_BASE_URL=https:\/\/api\.alpaca\.markets.*LIVE/);
    expect(message).toContain('ALPACA_PAPER=true (the default)');
    expect(message).toContain('ALPACA_PAPER=false');
  });

  it("when APCA_API_BASE_URL is Alpaca's paper host and ALPACA_PAPER=false, then start-up stops naming both", () => {
    const message = errorOf(alpaca({ APCA_API_BASE_URL: 'https://paper-api.alpaca.markets/', ALPACA_PAPER: 'false' }));
    expect(message).toMatch(/APCA_API_BASE_URL=.*paper-api.*ALPACA_PAPER=false/);
  });

  it('when the host and the flag agree, or the host is a proxy, then it is taken as given', () => {
    expect(loadSettings(alpaca({ APCA_API_BASE_URL: 'https://api.alpaca.markets', ALPACA_PAPER: 'false' })).alpaca).toMatchObject({
      paper: false,
    });
    expect(loadSettings(alpaca({ APCA_API_BASE_URL: 'https://paper-api.alpaca.markets' })).alpaca).toMatchObject({ paper: true });
    expect(loadSettings(alpaca({ APCA_API_BASE_URL: 'http://127.0.0.1:9999' })).alpaca).toMatchObject({
      paper: true,
      baseUrl: 'http://127.0.0.1:9999',
    });
    expect(loadSettings(alpaca({ APCA_API_BASE_URL: 'https://alpaca-proxy.example.com', ALPACA_PAPER: 'false' })).alpaca).toMatchObject({
      paper: false,
    });
  });
});

describe('order events', () => {
  it('when ORDER_EVENTS is unset, then orders follow the stream; polling turns it off; another word is a problem naming it', () => {
    expect(loadSettings(alpaca()).alpaca).toMatchObject({ orderEvents: 'stream' });
    expect(loadSettings(alpaca({ ORDER_EVENTS: 'Polling' })).alpaca).toMatchObject({ orderEvents: 'polling' });
    expect(errorOf(alpaca({ ORDER_EVENTS: 'websocket' }))).toBe('ORDER_EVENTS="websocket" is not one of: stream, polling.');
  });
});

describe('every problem at once', () => {
  it('when several settings are missing or invalid, then one error lists every one of them', () => {
    const message = errorOf({
      APCA_API_KEY_ID: 'PKTEST',
      PORT: 'eighty',
      WEBHOOK_SECRET: 'short',
      STATUS_TIMEZONE: 'Mars/Olympus',
      RATE_LIMIT_PER_MINUTE: '-3',
      OFF_HOURS_POLICY: 'sometimes',
      SMTP_URL: 'smtp://u:p@h',
      ALERT_COOLDOWN_HOURS: 'x',
    });
    for (const name of [
      'APCA_API_SECRET_KEY',
      'PORT',
      'WEBHOOK_SECRET',
      'STATUS_TIMEZONE',
      'API_TOKEN',
      'RATE_LIMIT_PER_MINUTE',
      'OFF_HOURS_POLICY',
      'ALERT_EMAIL_FROM',
      'ALERT_COOLDOWN_HOURS',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).toMatch(/^9 settings need fixing:\n  - /);
  });

  it('when exactly one setting is wrong, then the error is that one message alone', () => {
    expect(errorOf({ PORT: '99999' })).toBe('PORT="99999" is not a number between 0 and 65535.');
  });

  it('when the Google block is half set, then the missing variable is named once, with no follow-on noise', () => {
    const message = errorOf({ GOOGLE_SHEET_ID: 'abc', TRADING_ENABLED: 'maybe' });
    expect(message).toMatch(/^2 settings need fixing/);
    expect(message).toContain('GOOGLE_APPLICATION_CREDENTIALS is not set');
    expect(message).toContain('TRADING_ENABLED="maybe"');
  });
});

describe('secrets in the server log', () => {
  it('when a log line carries the SMTP password, the Twilio token or the Slack URL, then they are masked', () => {
    const settings = loadSettings(
      alpaca({
        SMTP_URL: 'smtps://bot%40example.com:p%40ss-word-99@smtp.example.com:465',
        ALERT_EMAIL_FROM: 'bot@example.com',
        ALERT_EMAIL_TO: 'me@example.com',
        TWILIO_ACCOUNT_SID: 'AC123',
        TWILIO_AUTH_TOKEN: 'twilio-auth-token-777',
        TWILIO_FROM: '+15550001',
        ALERT_SMS_TO: '+15550002',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/slackkey123456',
      }),
    );
    const logger = memoryLogger(secretValues(settings));
    logger.warn('notify.failed', {
      error: 'Invalid login for smtps://bot%40example.com:p%40ss-word-99@smtp.example.com:465 (pass p@ss-word-99)',
      detail: 'twilio said twilio-auth-token-777; slack https://hooks.slack.com/services/T000/B000/slackkey123456 and slackkey123456',
      alpaca: 'alpaca-secret-key-xyz',
      hook: SECRET,
      bearer: TOKEN,
    });
    const line = logger.lines.join('\n');
    for (const s of [
      'p%40ss-word-99',
      'p@ss-word-99',
      'twilio-auth-token-777',
      'slackkey123456',
      'hooks.slack.com/services',
      'alpaca-secret-key-xyz',
      SECRET,
      TOKEN,
    ]) {
      expect(line).not.toContain(s);
    }
    expect(line).toContain('smtp.example.com'); // the rest of the message stays readable
  });
});

describe('the service-account key', () => {
  let account: TestServiceAccount;
  beforeAll(() => (account = createServiceAccount()));
  afterAll(() => account.cleanup());
  const google = (file: string): Env => alpaca({ GOOGLE_SHEET_ID: 'sheet-id', GOOGLE_APPLICATION_CREDENTIALS: file });

  it('when the settings load, then they carry the key parsed once, for the Sheets adapter to sign with', () => {
    const settings = loadSettings(google(account.keyFile));
    expect(settings.google?.key).toEqual(readServiceAccountKey(account.keyFile));
    expect(settings.google?.key).toMatchObject({ file: account.keyFile, clientEmail: account.email, privateKey: account.privateKeyPem });
  });

  it('when the key file is missing, then start-up stops naming GOOGLE_APPLICATION_CREDENTIALS and the path', () => {
    const message = errorOf(google('/nonexistent/key.json'));
    expect(message).toContain('GOOGLE_APPLICATION_CREDENTIALS points to /nonexistent/key.json, which does not exist');
  });

  it('when the key file is not JSON or has no private key, then start-up stops and the message shows no key material', () => {
    const junk = createServiceAccount({ overrides: { private_key: 'not a key' } });
    try {
      expect(errorOf(google(junk.keyFile))).toContain('has no client_email/private_key');
      writeFileSync(junk.keyFile, '{"private_key": "-----BEGIN PRIVATE KEY-----\\nAAAA');
      const message = errorOf(google(junk.keyFile));
      expect(message).toContain('is not readable JSON');
      expect(message).not.toContain('BEGIN PRIVATE KEY');
    } finally {
      junk.cleanup();
    }
  });

  it('when a log line carries the private key, whole, JSON-escaped or one line of it, then it is masked', () => {
    const logger = memoryLogger(secretValues(loadSettings(google(account.keyFile))));
    const bodyLine = account.privateKeyPem.split('\n')[3];
    logger.error('sheets.failed', { error: `key ${account.privateKeyPem}`, detail: `line ${bodyLine}` });
    const line = logger.lines.join('\n');
    expect(line).not.toContain(bodyLine);
    expect(line).not.toContain(JSON.stringify(account.privateKeyPem).slice(1, -1));
    expect(line).toContain('sheets.failed');
  });
});

describe('the Controls and Positions tabs', () => {
  it('when nothing is set, then the tabs are Controls and Positions, read every 15 s', () => {
    expect(loadSettings({})).toMatchObject({ controls: { tab: 'Controls', pollMs: 15_000 }, positionsTab: 'Positions' });
    expect(loadSettings({ CONTROLS_TAB: 'Console', CONTROLS_POLL_SECONDS: '30', POSITIONS_TAB: 'Held' })).toMatchObject({
      controls: { tab: 'Console', pollMs: 30_000 },
      positionsTab: 'Held',
    });
  });

  it('when CONTROLS_POLL_SECONDS is faster than the quota allows or not a number, then start-up stops naming it and its range', () => {
    expect(errorOf({ CONTROLS_POLL_SECONDS: '1' })).toBe('CONTROLS_POLL_SECONDS="1" is not a number between 5 and 3600.');
    expect(errorOf({ CONTROLS_POLL_SECONDS: 'often' })).toMatch(/^CONTROLS_POLL_SECONDS="often"/);
  });

  it('when LIMIT_TIMEOUT_SECONDS is unset, then limit orders wait 60 s; a wrong value stops start-up naming it and its range', () => {
    expect(loadSettings({}).reliability.limitTimeoutMs).toBe(60_000);
    expect(loadSettings({ LIMIT_TIMEOUT_SECONDS: '5' }).reliability.limitTimeoutMs).toBe(5000);
    expect(errorOf({ LIMIT_TIMEOUT_SECONDS: 'soon' })).toBe('LIMIT_TIMEOUT_SECONDS="soon" is not a number between 1 and 3600.');
    expect(errorOf({ LIMIT_TIMEOUT_SECONDS: '0' })).toBe('LIMIT_TIMEOUT_SECONDS="0" is not a number between 1 and 3600.');
  });

  it('when two settings name the same tab, then start-up stops naming both', () => {
    expect(errorOf({ CONTROLS_TAB: 'config' })).toBe('CONTROLS_TAB="config" names the same tab as CONFIG_TAB. Give each tab its own name.');
    expect(errorOf({ POSITIONS_TAB: 'Performance' })).toMatch(/^POSITIONS_TAB="Performance" names the same tab as PERFORMANCE_TAB/);
  });
});
