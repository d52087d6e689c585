import { ConfigurationError } from '../domain/errors';
import { type AnalyticsSettings, parseAnalyticsSettings } from './analytics';
import { type CoreSettings, parseCoreSettings } from './core';
import { collecting, type Env, optional } from './env';
import { type NotifySettings, parseNotifySettings } from './notify';
import { parseSafetySettings, type SafetySettings } from './safety';

/** Every setting, parsed and checked once at start-up. */
export interface Settings extends CoreSettings {
  notify: NotifySettings;
  safety: SafetySettings;
  analytics: AnalyticsSettings;
}

/**
 * Reads all settings from the environment. Every missing or invalid one is
 * gathered first, then thrown as one ConfigurationError that lists each with
 * its fix, so the trader fixes them all in one go, not one per restart.
 */
export function loadSettings(env: Env): Settings {
  const { env: view, problems } = collecting(env);
  const core = parseCoreSettings(view);
  const safety = parseSafetySettings(view, { alpacaConfigured: core.alpaca !== undefined, webhookSecret: core.webhookSecret });
  const settings = { ...core, notify: parseNotifySettings(view), safety, analytics: parseAnalyticsSettings(view) };
  if (problems.length === 1) throw new ConfigurationError(problems[0]);
  if (problems.length > 1)
    throw new ConfigurationError(`${problems.length} settings need fixing:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return settings;
}

/** True when systemd sends our output to the journal (JOURNAL_STREAM set); for lines written before the settings load. */
export function journaldFrom(env: Env): boolean {
  return optional(env, 'JOURNAL_STREAM') !== undefined;
}

export type { Env } from './env';
