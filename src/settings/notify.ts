/**
 * Notification channels and alert thresholds, parsed once from the
 * environment. The channels and their variables are the registry's
 * (src/adapters/notify/channels.ts). A channel is configured only when all
 * of its variables are set; setting some but not all is a start-up error
 * naming what is missing, never a silent "no email".
 */
import path from 'node:path';
import { CHANNEL_NAMES, CHANNELS, channelSpec, type Channel, type ChannelSettings, type ChannelSpec } from '../adapters/notify/channels';
import { ConfigurationError } from '../domain/errors';
import { type Env, num, optional, optionalNum, problem } from './env';

export type { Channel } from '../adapters/notify/channels';

/** Optional alert thresholds, in percent. */
export interface ThresholdSettings {
  dailyLossPct?: number;
  drawdownPct?: number;
  positionLossPct?: number;
  /** The same breach is not re-sent within this many hours. */
  cooldownHours: number;
}

/** The settings of every configured channel, under its name (`email`, `sms`, `slack`). */
export type ChannelsSettings = { [C in Channel]?: ChannelSettings<C> };

/** Every channel that is configured, and the thresholds. */
export interface NotifySettings extends ChannelsSettings {
  thresholds: ThresholdSettings;
}

/** `names` joined, with the verb that agrees: "A is" or "A, B are". */
const are = (names: readonly string[]) => `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'}`;

/** True when every variable of `channel` is set; a problem (see `problem`) when only some are. */
function channelIsSet(env: Env, channel: Channel): boolean {
  const names = CHANNELS[channel].variables;
  const missing = names.filter((n) => optional(env, n) === undefined);
  if (missing.length === names.length) return false;
  if (missing.length > 0) {
    return problem(
      env,
      `${are(missing)} not set, but ${are(names.filter((n) => !missing.includes(n)))}. ` +
        `Set all of ${names.join(', ')} to send by ${channel}, or none of them.`,
      false,
    );
  }
  return true;
}

/** Parses the notification channels and thresholds; throws ConfigurationError naming any half-set channel. */
export function parseNotifySettings(env: Env): NotifySettings {
  const thresholds: ThresholdSettings = {
    dailyLossPct: optionalNum(env, 'ALERT_DAILY_LOSS_PCT', 0, 100),
    drawdownPct: optionalNum(env, 'ALERT_DRAWDOWN_PCT', 0, 100),
    positionLossPct: optionalNum(env, 'ALERT_POSITION_LOSS_PCT', 0, 1000),
    cooldownHours: num(env, 'ALERT_COOLDOWN_HOURS', 12, 0, 24 * 365),
  };
  const channels: Partial<Record<Channel, unknown>> = {};
  for (const name of CHANNEL_NAMES) if (channelIsSet(env, name)) channels[name] = channelSpec(name).parse(env);
  return { ...(channels as ChannelsSettings), thresholds };
}

/** The channels that are configured, in the registry's order. */
export function configuredChannels(settings: NotifySettings): Channel[] {
  return CHANNEL_NAMES.filter((c) => settings[c] !== undefined);
}

/** A configured channel: its name, its registry entry and its settings. */
export interface ConfiguredChannel {
  name: Channel;
  spec: ChannelSpec<unknown>;
  settings: unknown;
}

/** Each configured channel with its entry and settings, in the registry's order; for code that treats every channel alike. */
export function configuredEntries(settings: NotifySettings): ConfiguredChannel[] {
  return configuredChannels(settings).map((name) => ({ name, spec: channelSpec(name), settings: settings[name] }));
}

/** Throws a ConfigurationError naming the variables of each asked-for channel that is not configured. */
export function requireChannels(settings: NotifySettings, channels: readonly Channel[]): void {
  for (const c of channels) {
    if (settings[c] === undefined) {
      const { variables, report } = CHANNELS[c];
      const them = variables.length > 1 ? 'them' : 'it';
      throw new ConfigurationError(`--${report.flag} was asked for, but ${are(variables)} not set. Set ${them} in the environment (.env).`);
    }
  }
}

/** Where analytics writes its files: EXPORT_DIR, else `<dataDir>/analytics`. */
export function parseExportDir(env: Env, dataDir: string): string {
  return path.resolve(optional(env, 'EXPORT_DIR') ?? path.join(dataDir, 'analytics'));
}
