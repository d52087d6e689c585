import { existsSync } from 'node:fs';
import { ConfigurationError, describeError } from './domain/errors';
import { banner } from './local-mode';
import { createLogger } from './logger';
import { buildServer } from './server';
import { loadSettings } from './settings';
import { secretValues } from './settings/secrets';

/** Start-up: read settings once, build the server, listen, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  // A .env beside the project is read when present; systemd passes an EnvironmentFile instead.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const settings = loadSettings(process.env);
  const logger = createLogger(undefined, secretValues(settings));
  const server = await buildServer(settings, logger);
  const port = await server.start();
  const local = server.adapters.broker.mode === 'local' || server.adapters.sheet.kind === 'local';
  console.log(
    banner({ mode: server.adapters.broker.mode, sheet: server.adapters.sheet.location, port, secret: server.secret, apiToken: server.apiToken, dataDir: settings.dataDir, local }),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('server.signal', { signal });
    server.shutdown().then(
      () => process.exit(0),
      (err) => {
        logger.error('server.shutdown_failed', { error: describeError(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error('process.unhandled_rejection', { error: describeError(err) }));
}

main().catch((err) => {
  if (err instanceof ConfigurationError) {
    console.error(`\nSettings error: ${err.message}\nSee .env.example and the README's configuration table.\n`);
  } else {
    console.error(`\nStart-up failed: ${describeError(err)}\n`);
  }
  process.exit(1);
});
