/**
 * The notification channels: the one list of them. Each entry declares all
 * that the rest of the code knows of its channel: its variables and how they
 * parse (read by src/settings/notify.ts), the values the loggers mask
 * (src/settings/secrets.ts), the doctor's line about it (src/doctor/posture.ts),
 * the analytics CLI's flag that sends it the report (analytics/args.ts), and
 * how to build its Notifier (./index.ts). An entry loads its adapter module,
 * and so its SDK, only in `create`: a server with no channel set never loads
 * nodemailer or twilio. This file imports its adapters for types only.
 */
import type { Notifier } from '../../ports';
import { type Env, list, optional, origin, url } from '../../settings/env';
import type { EmailNotifierOptions } from './email';
import type { SlackNotifierOptions } from './slack';
import type { SmsNotifierOptions } from './sms';

/** What the doctor says about a channel (its line is named after the channel). */
export interface ChannelCheck {
  outcome: 'pass' | 'warn' | 'fail';
  detail: string;
}

/** One channel; `S` is its settings, the options its Notifier is built with. */
export interface ChannelSpec<S> {
  /** The variables that turn it on, in the order they are reported: all set, or none (some is a start-up error). */
  readonly variables: readonly string[];
  /** Its settings, read once all of `variables` are set; a bad value is a `problem` naming its variable (settings/env.ts). */
  parse(env: Env): S;
  /** The values in its settings that no log line may show, in every form they could be written. */
  secrets(settings: S): (string | undefined)[];
  /** The doctor's line about it, from the settings alone (no message is sent): where it delivers, never a secret. */
  doctor(settings: S): ChannelCheck;
  /** `npm run analytics -- --<flag>` sends the report on it; `help` is the usage line, before its variables. */
  readonly report: { flag: string; help: string };
  /** Its Notifier, loading the adapter module (and its SDK) now. */
  create(settings: S): Notifier;
}

/** An entry, checked against ChannelSpec with its own settings type kept. */
const channel = <S>(spec: ChannelSpec<S>): ChannelSpec<S> => spec;

/** The password inside a URL (`smtps://user:pass@host`), as written and decoded. */
function urlPassword(value: string): string[] {
  try {
    const password = new URL(value).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

/** A URL's last path segment: the part of a Slack webhook URL that is the key. */
function lastSegment(value: string): string | undefined {
  try {
    return new URL(value).pathname.split('/').filter(Boolean).pop();
  } catch {
    return undefined;
  }
}

/** Whether a URL's host is this machine (a test server or a local relay). */
const isLoopback = (u: URL) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(u.hostname);

/** Every channel, in the order notifiers are built, tried and listed. */
export const CHANNELS = {
  email: channel<EmailNotifierOptions>({
    variables: ['SMTP_URL', 'ALERT_EMAIL_FROM', 'ALERT_EMAIL_TO'],
    parse: (env) => ({ smtpUrl: url(env, 'SMTP_URL'), from: optional(env, 'ALERT_EMAIL_FROM') as string, to: list(env, 'ALERT_EMAIL_TO') }),
    // The host stays readable; only the password is masked.
    secrets: (s) => urlPassword(s.smtpUrl),
    doctor: (s) => {
      const server = new URL(s.smtpUrl);
      return { outcome: 'pass', detail: `to ${s.to.join(', ')} from ${s.from} through ${server.protocol}//${server.host}` };
    },
    report: { flag: 'email', help: 'email the HTML report with charts and CSVs' },
    create(s) {
      const { EmailNotifier } = require('./email') as typeof import('./email');
      return new EmailNotifier(s);
    },
  }),
  sms: channel<SmsNotifierOptions>({
    variables: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'ALERT_SMS_TO'],
    parse: (env) => ({
      accountSid: optional(env, 'TWILIO_ACCOUNT_SID') as string,
      authToken: optional(env, 'TWILIO_AUTH_TOKEN') as string,
      from: optional(env, 'TWILIO_FROM') as string,
      to: list(env, 'ALERT_SMS_TO'),
      apiUrl: origin(env, 'TWILIO_API_URL'),
    }),
    secrets: (s) => [s.authToken],
    doctor: (s) => ({
      outcome: 'pass',
      detail: `to ${s.to.join(', ')} from ${s.from}, Twilio account ${s.accountSid}${s.apiUrl ? ` through ${s.apiUrl}` : ''}`,
    }),
    report: { flag: 'sms', help: 'text a 160-character summary' },
    create(s) {
      const { SmsNotifier } = require('./sms') as typeof import('./sms');
      return new SmsNotifier(s);
    },
  }),
  slack: channel<SlackNotifierOptions>({
    variables: ['SLACK_WEBHOOK_URL'],
    parse: (env) => ({ webhookUrl: url(env, 'SLACK_WEBHOOK_URL') }),
    // The whole URL, and its last segment alone: an error may quote either.
    secrets: (s) => [s.webhookUrl, lastSegment(s.webhookUrl)],
    doctor: (s) => {
      const hook = new URL(s.webhookUrl);
      return hook.protocol === 'https:' || isLoopback(hook)
        ? { outcome: 'pass', detail: `posts to a webhook at ${hook.host}` }
        : { outcome: 'warn', detail: `posts to a webhook at ${hook.host} over plain HTTP: its URL, which is the key, travels unencrypted` };
    },
    report: { flag: 'slack', help: 'post the key numbers to Slack' },
    create(s) {
      const { SlackNotifier } = require('./slack') as typeof import('./slack');
      return new SlackNotifier(s);
    },
  }),
};

/** A channel's name: its key in `CHANNELS`, in `NotifySettings` and in `Notifier.channel`. */
export type Channel = keyof typeof CHANNELS;

/** The settings of channel `C`. */
export type ChannelSettings<C extends Channel> = (typeof CHANNELS)[C] extends ChannelSpec<infer S> ? S : never;

/** The channels' names, in the registry's order. */
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];

/** The entry of `name` with its settings type erased, for code that treats every channel alike. */
export function channelSpec(name: Channel): ChannelSpec<unknown> {
  return CHANNELS[name] as ChannelSpec<unknown>;
}
