/**
 * The analytics CLI's composition root: settings → adapters → the ports
 * `runAnalytics` takes. The broker, history and journal come from the same
 * factory the server uses (src/wiring.ts), so local mode reads the paper
 * broker's book and Alpaca mode reads Alpaca.
 */
import { createNotifiers } from '../src/adapters/notify';
import { systemClock } from '../src/shared/clock';
import type { Logger } from '../src/ports';
import { loadSettings, type Env, type Settings } from '../src/settings';
import { parseExportDir } from '../src/settings/notify';
import { secretValues } from '../src/settings/secrets';
import { openAdapters } from '../src/wiring';
import type { AnalyticsDeps } from './run-analytics';

/** The deps of a run, where its files go by default, and how to release them. */
export interface AnalyticsWiring {
  deps: AnalyticsDeps;
  settings: Settings;
  exportDir: string;
  /** Closes the database. */
  close(): void;
}

/**
 * Reads the settings and opens the adapters; ConfigurationError when a setting is wrong.
 * The logger is made from the settings' secret list, so it masks them from the first line.
 */
export async function buildAnalyticsDeps(
  env: Env,
  makeLogger: (secrets: string[]) => Logger,
  progress: (line: string) => void,
): Promise<AnalyticsWiring> {
  const settings = loadSettings(env);
  const logger = makeLogger(secretValues(settings));
  const adapters = await openAdapters(settings, systemClock);
  return {
    settings,
    exportDir: parseExportDir(env, settings.dataDir),
    deps: {
      broker: adapters.broker,
      mode: adapters.brokerMode,
      history: adapters.history,
      journal: adapters.journal,
      stateStore: adapters.journal,
      notifiers: createNotifiers(settings.notify),
      thresholds: settings.notify.thresholds,
      clock: systemClock,
      logger,
      progress,
    },
    close: () => adapters.close(),
  };
}
