/**
 * `npm run analytics -- [flags]`: the entry point. It reads flags and
 * settings, runs the use case, prints the summary (or the JSON) on stdout
 * and progress on stderr, and exits with a documented code (exit-codes.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, describeError } from '../src/domain/errors';
import { createLogger } from '../src/logger';
import type { Logger } from '../src/ports';
import { configuredChannels, requireChannels } from '../src/settings/notify';
import { parseCli, resolveWindow, USAGE, UsageError } from './args';
import { EXIT } from './exit-codes';
import { runAnalytics } from './run-analytics';
import { summaryText } from './report/summary';
import { buildAnalyticsDeps } from './wiring';

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processIo: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** Warnings and errors as JSON lines on stderr; info stays quiet, as progress lines already tell the story. */
function cliLogger(io: CliIo, secrets: string[]): Logger {
  const base = createLogger((line) => io.stderr(line + '\n'), secrets);
  return { info: () => {}, warn: base.warn, error: base.error };
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, io: CliIo = processIo): Promise<number> {
  let close = () => {};
  try {
    const cli = parseCli(argv);
    if (cli.help) {
      io.stdout(USAGE);
      return EXIT.OK;
    }
    const window = resolveWindow(cli, new Date());
    const progress = (line: string) => io.stderr(`${line}\n`);
    const wiring = await buildAnalyticsDeps(env, (secrets) => cliLogger(io, secrets), progress);
    close = wiring.close;
    const channels = cli.all ? configuredChannels(wiring.settings.notify) : cli.channels;
    requireChannels(wiring.settings.notify, channels);
    if (cli.all && channels.length === 0) progress('--all: no channel is configured; writing files only.');

    const result = await runAnalytics(wiring.deps, {
      from: window.from,
      to: window.to,
      outDir: path.resolve(cli.out ?? wiring.exportDir),
      charts: cli.charts,
      channels,
      riskFreeRate: wiring.settings.analytics.riskFreeRate,
      timezone: wiring.settings.statusTimezone,
    });

    io.stdout(cli.json ? JSON.stringify(result.metrics, null, 2) + '\n' : summaryText(result.report));
    for (const d of [...result.alertDeliveries, ...result.deliveries]) {
      progress(d.ok ? `sent by ${d.channel}` : `FAILED to send by ${d.channel}: ${d.error}`);
    }
    for (const b of result.breaches) {
      progress(`THRESHOLD ${b.title}${result.alerted.includes(b) ? ' (alerted)' : ' (alert cooling down or no channel)'}`);
    }
    return result.exitCode;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n\n${USAGE}`);
      return EXIT.USAGE;
    }
    if (err instanceof ConfigurationError) {
      io.stderr(`Settings error: ${err.message}\n`);
      return EXIT.CONFIG;
    }
    io.stderr(`Analytics failed: ${describeError(err)}\n`);
    return EXIT.FAILED;
  } finally {
    close();
  }
}

if (require.main === module) {
  // A .env beside the project is read when present; systemd passes an EnvironmentFile instead.
  if (existsSync('.env')) process.loadEnvFile('.env');
  main(process.argv.slice(2), process.env).then((code) => {
    // Exit once stdout is flushed: idle keep-alive sockets (Slack, Twilio) must not hold a cron job open.
    process.stdout.write('', () => process.exit(code));
  });
}
