/**
 * Notification channels and alert thresholds, parsed once from the
 * environment. A channel is configured only when all of its variables are
 * set; setting some but not all is a start-up error naming what is missing,
 * never a silent "no email".
 */
import path from 'node:path';
import { ConfigurationError } from '../domain/errors';
import { type Env, list, num, optional, optionalNum, origin, problem } from './env';

/** Email over SMTP. */
export interface EmailSettings {
  /** e.g. `smtps://user:pass@smtp.example.com:465`. */
  smtpUrl: string;
  from: string;
  to: string[];
}

/** SMS through Twilio. */
export interface SmsSettings {
  accountSid: string;
  authToken: string;
  from: string;
  to: string[];
  /** Replaces Twilio's API origin (tests, proxies); undefined means Twilio itself. */
  apiUrl?: string;
}

/** Slack incoming webhook. */
export interface SlackSettings {
  webhookUrl: string;
}

/** Optional alert thresholds, in percent. */
export interface ThresholdSettings {
  dailyLossPct?: number;
  drawdownPct?: number;
  positionLossPct?: number;
  /** The same breach is not re-sent within this many hours. */
  cooldownHours: number;
}

/** Every channel that is configured, and the thresholds. */
export interface NotifySettings {
  email?: EmailSettings;
  sms?: SmsSettings;
  slack?: SlackSettings;
  thresholds: ThresholdSettings;
}

/** A delivery channel's name. */
export type Channel = 'email' | 'sms' | 'slack';

/** The variables each channel needs, in the order they are reported. */
export const CHANNEL_VARIABLES: Record<Channel, readonly string[]> = {
  email: ['SMTP_URL', 'ALERT_EMAIL_FROM', 'ALERT_EMAIL_TO'],
  sms: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'ALERT_SMS_TO'],
  slack: ['SLACK_WEBHOOK_URL'],
};

/** True when every variable of `channel` is set; a ConfigurationError when only some are. */
function channelIsSet(env: Env, channel: Channel): boolean {
  const names = CHANNEL_VARIABLES[channel];
  const missing = names.filter((n) => optional(env, n) === undefined);
  if (missing.length === names.length) return false;
  if (missing.length > 0) {
    return problem(env,
      `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set, but ${names
        .filter((n) => !missing.includes(n))
        .join(', ')} ${names.length - missing.length > 1 ? 'are' : 'is'}. ` +
        `Set all of ${names.join(', ')} to send by ${channel}, or none of them.`,
      false,
    );
  }
  return true;
}

/** A URL setting that must parse, else a problem naming it (without its value, which may hold a password). */
function url(env: Env, name: string): string {
  const v = optional(env, name) as string;
  try {
    new URL(v);
  } catch {
    return problem(env, `${name} is not a valid URL. Use the full URL, e.g. https://… or smtp://….`, v);
  }
  return v;
}

/** Parses the notification channels and thresholds; throws ConfigurationError naming any half-set channel. */
export function parseNotifySettings(env: Env): NotifySettings {
  const settings: NotifySettings = {
    thresholds: {
      dailyLossPct: optionalNum(env, 'ALERT_DAILY_LOSS_PCT', 0, 100),
      drawdownPct: optionalNum(env, 'ALERT_DRAWDOWN_PCT', 0, 100),
      positionLossPct: optionalNum(env, 'ALERT_POSITION_LOSS_PCT', 0, 1000),
      cooldownHours: num(env, 'ALERT_COOLDOWN_HOURS', 12, 0, 24 * 365),
    },
  };
  if (channelIsSet(env, 'email')) {
    settings.email = {
      smtpUrl: url(env, 'SMTP_URL'),
      from: optional(env, 'ALERT_EMAIL_FROM') as string,
      to: list(env, 'ALERT_EMAIL_TO'),
    };
  }
  if (channelIsSet(env, 'sms')) {
    settings.sms = {
      accountSid: optional(env, 'TWILIO_ACCOUNT_SID') as string,
      authToken: optional(env, 'TWILIO_AUTH_TOKEN') as string,
      from: optional(env, 'TWILIO_FROM') as string,
      to: list(env, 'ALERT_SMS_TO'),
      apiUrl: origin(env, 'TWILIO_API_URL'),
    };
  }
  if (channelIsSet(env, 'slack')) settings.slack = { webhookUrl: url(env, 'SLACK_WEBHOOK_URL') };
  return settings;
}

/** The channels that are configured, in a fixed order. */
export function configuredChannels(settings: NotifySettings): Channel[] {
  return (['email', 'sms', 'slack'] as const).filter((c) => settings[c] !== undefined);
}

/** Throws a ConfigurationError naming the variables of each asked-for channel that is not configured. */
export function requireChannels(settings: NotifySettings, channels: readonly Channel[]): void {
  for (const c of channels) {
    if (settings[c] === undefined) {
      throw new ConfigurationError(
        `--${c} was asked for, but ${CHANNEL_VARIABLES[c].join(', ')} ${
          CHANNEL_VARIABLES[c].length > 1 ? 'are' : 'is'
        } not set. Set ${CHANNEL_VARIABLES[c].length > 1 ? 'them' : 'it'} in the environment (.env).`,
      );
    }
  }
}

/** Where analytics writes its files: EXPORT_DIR, else `<dataDir>/analytics`. */
export function parseExportDir(env: Env, dataDir: string): string {
  return path.resolve(optional(env, 'EXPORT_DIR') ?? path.join(dataDir, 'analytics'));
}
