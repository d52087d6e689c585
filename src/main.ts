import { existsSync } from 'node:fs';
import { ConfigurationError, describeError } from './domain/errors';
import { createLogger, withPriority } from './logger';
import { buildServer } from './server';
import { journaldFrom, loadSettings } from './settings';
import { secretValues } from './settings/secrets';

/** Start-up: read settings once, build the server, listen, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  // A .env beside the project is read when present; systemd passes an EnvironmentFile instead.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const settings = loadSettings(process.env);
  const logger = createLogger(undefined, secretValues(settings), { journald: settings.journald });
  const server = await buildServer(settings, logger);
  await server.start();
  for (const line of (await server.banner()).split('\n')) process.stdout.write(withPriority(line, 'info', settings.journald) + '\n');

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
  const text =
    err instanceof ConfigurationError
      ? `Settings error: ${err.message}\nSee .env.example and the README's configuration table.`
      : `Start-up failed: ${describeError(err)}`;
  const journald = journaldFrom(process.env);
  for (const line of text.split('\n')) process.stderr.write(withPriority(line, 'error', journald) + '\n');
  process.exit(1);
});
