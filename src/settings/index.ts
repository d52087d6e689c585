import { type AnalyticsSettings, parseAnalyticsSettings } from './analytics';
import { type CoreSettings, parseCoreSettings } from './core';
import type { Env } from './env';
import { type NotifySettings, parseNotifySettings } from './notify';
import { parseSafetySettings, type SafetySettings } from './safety';

/** Every setting, parsed and checked once at start-up. */
export interface Settings extends CoreSettings {
  notify: NotifySettings;
  safety: SafetySettings;
  analytics: AnalyticsSettings;
}

/** Reads all settings from the environment; throws ConfigurationError naming the variable and the fix. */
export function loadSettings(env: Env): Settings {
  const core = parseCoreSettings(env);
  const safety = parseSafetySettings(env, { alpacaConfigured: core.alpaca !== undefined, webhookSecret: core.webhookSecret });
  return { ...core, notify: parseNotifySettings(env), safety, analytics: parseAnalyticsSettings(env) };
}

export type { Env } from './env';
