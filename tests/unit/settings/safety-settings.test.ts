import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../../src/domain/errors';
import { parseSafetySettings, TRADINGVIEW_IPS } from '../../../src/settings/safety';

const live = { alpacaConfigured: true, webhookSecret: 'webhook-secret-123' };
const local = { alpacaConfigured: false };
const TOKEN = 'a-long-api-token-0123456789';

describe('parseSafetySettings', () => {
  it('when nothing is set in local mode, then the brakes have their documented defaults and any address may call', () => {
    expect(parseSafetySettings({}, local)).toEqual({
      listenHost: undefined,
      allowedIps: undefined,
      trustProxy: false,
      apiToken: undefined,
      tls: undefined,
      tradingEnabled: true,
      haltBlocksClose: false,
      maxPositionUsd: undefined,
      maxDailyLossUsd: undefined,
      maxDailyLossPct: undefined,
      maxSignalAgeSeconds: 120,
      offHoursPolicy: 'reject',
      rateLimitPerMinute: 300,
      badSecretLimit: 10,
    });
  });

  it('when Alpaca is configured without API_TOKEN, then start-up fails naming it and how to make one', () => {
    expect(() => parseSafetySettings({}, live)).toThrow(ConfigurationError);
    expect(() => parseSafetySettings({}, live)).toThrow(/API_TOKEN is not set.*openssl rand/);
  });

  it('when the token is short or equals the webhook secret, then start-up fails', () => {
    expect(() => parseSafetySettings({ API_TOKEN: 'short' }, live)).toThrow(/shorter than 16/);
    expect(() => parseSafetySettings({ API_TOKEN: 'webhook-secret-123' }, { ...live, webhookSecret: 'webhook-secret-123' })).toThrow(
      /equals WEBHOOK_SECRET/,
    );
  });

  it('when Alpaca is configured and WEBHOOK_ALLOWED_IPS is unset, then only TradingView may call', () => {
    expect(parseSafetySettings({ API_TOKEN: TOKEN }, live).allowedIps).toEqual([...TRADINGVIEW_IPS]);
  });

  it('when WEBHOOK_ALLOWED_IPS mixes the word tradingview, addresses and CIDRs, then it expands them; "any" opens it', () => {
    const s = parseSafetySettings({ API_TOKEN: TOKEN, WEBHOOK_ALLOWED_IPS: 'TradingView, 203.0.113.7 ,10.0.0.0/8,2001:db8::/32' }, live);
    expect(s.allowedIps).toEqual([...TRADINGVIEW_IPS, '203.0.113.7', '10.0.0.0/8', '2001:db8::/32']);
    expect(parseSafetySettings({ API_TOKEN: TOKEN, WEBHOOK_ALLOWED_IPS: 'any' }, live).allowedIps).toBeUndefined();
  });

  it.each(['10.0.0.0/33', 'example.com', '1.2.3', '10.0.0.0/8/1', '::1/129'])(
    'when WEBHOOK_ALLOWED_IPS holds %p, then start-up fails naming it',
    (bad) => {
      expect(() => parseSafetySettings({ WEBHOOK_ALLOWED_IPS: bad }, local)).toThrow(/WEBHOOK_ALLOWED_IPS/);
    },
  );

  it('when TRUST_PROXY is true, then only a proxy on this machine is believed; a list names the proxies; a hop count is refused', () => {
    expect(parseSafetySettings({ TRUST_PROXY: 'true' }, local).trustProxy).toEqual(['loopback']);
    expect(parseSafetySettings({ TRUST_PROXY: 'false' }, local).trustProxy).toBe(false);
    expect(parseSafetySettings({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12' }, local).trustProxy).toEqual(['10.0.0.5', '172.16.0.0/12']);
    expect(() => parseSafetySettings({ TRUST_PROXY: '2' }, local)).toThrow(/TRUST_PROXY/);
  });

  it('when only one TLS file is set, or a file is missing, then start-up fails; both present are resolved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    writeFileSync(join(dir, 'cert.pem'), 'x');
    writeFileSync(join(dir, 'key.pem'), 'x');
    expect(() => parseSafetySettings({ TLS_CERT_FILE: join(dir, 'cert.pem') }, local)).toThrow(/set together/);
    expect(() => parseSafetySettings({ TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'nope.pem') }, local)).toThrow(
      /does not exist/,
    );
    expect(parseSafetySettings({ TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'key.pem') }, local).tls).toEqual({
      certFile: join(dir, 'cert.pem'),
      keyFile: join(dir, 'key.pem'),
    });
  });

  it('when LISTEN_HOST is set, then it must be an IP address', () => {
    expect(parseSafetySettings({ LISTEN_HOST: '127.0.0.1' }, local).listenHost).toBe('127.0.0.1');
    expect(() => parseSafetySettings({ LISTEN_HOST: 'localhost' }, local)).toThrow(/LISTEN_HOST/);
  });

  it('when the brakes are set, then they are read and checked', () => {
    const s = parseSafetySettings(
      {
        TRADING_ENABLED: 'false',
        HALT_BLOCKS_CLOSE: 'yes',
        MAX_POSITION_USD: '2500',
        MAX_DAILY_LOSS_USD: '1000',
        MAX_DAILY_LOSS_PCT: '2.5',
        MAX_SIGNAL_AGE_SECONDS: '0',
        OFF_HOURS_POLICY: 'queue',
      },
      local,
    );
    expect(s).toMatchObject({
      tradingEnabled: false,
      haltBlocksClose: true,
      maxPositionUsd: 2500,
      maxDailyLossUsd: 1000,
      maxDailyLossPct: 2.5,
      maxSignalAgeSeconds: 0,
      offHoursPolicy: 'queue',
    });
    expect(() => parseSafetySettings({ OFF_HOURS_POLICY: 'sometimes' }, local)).toThrow(/OFF_HOURS_POLICY/);
    expect(() => parseSafetySettings({ MAX_DAILY_LOSS_PCT: '150' }, local)).toThrow(/MAX_DAILY_LOSS_PCT/);
    expect(() => parseSafetySettings({ MAX_POSITION_USD: '-5' }, local)).toThrow(/MAX_POSITION_USD/);
  });
});
