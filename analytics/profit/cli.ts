/**
 * `npm run profit [-- --json]`: the quick look at the account in the
 * terminal. It reads the same settings as the server, so it shows Alpaca
 * when Alpaca is configured and the paper broker in local mode. The page is
 * coloured on a terminal and plain when piped; `--json` prints the JSON alone.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../../src/shared/clock';
import { ConfigurationError, describeError } from '../../src/domain/errors';
import { loadSettings, type Env } from '../../src/settings';
import { openBrokerReadOnly } from '../../src/wiring';
import { EXIT } from '../exit-codes';
import { profitJson, profitText } from './render';
import { runProfit } from './run-profit';

/** The usage text. */
export const PROFIT_USAGE = `Usage: npm run profit -- [--json]

The account at a glance: equity, cash, buying power and today's P&L; every
position with its unrealised P&L; the best and worst; long against short; and
the realised P&L and win rate over PERFORMANCE_WINDOW_DAYS (FIFO, as the
Performance tab).

  --json       print the same as JSON, and nothing else, on stdout
  -h, --help   this text

Exit codes: 0 ok; 1 failed (broker unreachable); 2 bad flags; 3 settings error.
`;

/** Where the CLI writes, and whether stdout takes colour; injectable for tests. */
export interface ProfitIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stdout is a terminal; colour is used then, unless NO_COLOR is set. */
  isTerminal: boolean;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[], env: Env, io: ProfitIo): Promise<number> {
  let json: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout(PROFIT_USAGE);
      return EXIT.OK;
    }
    json = Boolean(values.json);
  } catch (err) {
    io.stderr(`${(err as Error).message}\n\n${PROFIT_USAGE}`);
    return EXIT.USAGE;
  }
  const colour = io.isTerminal && env.NO_COLOR === undefined;
  let close = () => {};
  try {
    const settings = loadSettings(env);
    // Read-only: profit never creates or changes the service's journal (a missing one is an error naming DATA_DIR).
    const adapters = await openBrokerReadOnly(settings, systemClock);
    close = adapters.close;
    const report = await runProfit({
      broker: adapters.broker,
      mode: adapters.mode,
      history: adapters.history,
      clock: systemClock,
      windowDays: settings.performance.windowDays,
      // Progress only on a terminal: a piped or --json run prints nothing but its result.
      progress: io.isTerminal && !json ? (line) => io.stderr(`${line}\n`) : undefined,
    });
    io.stdout(
      json ? JSON.stringify(profitJson(report), null, 2) + '\n' : profitText(report, { colour, timezone: settings.statusTimezone }),
    );
    return EXIT.OK;
  } catch (err) {
    if (err instanceof ConfigurationError) {
      io.stderr(`Settings error: ${err.message}\n`);
      return EXIT.CONFIG;
    }
    io.stderr(`profit failed: ${describeError(err)}\n`);
    return EXIT.FAILED;
  } finally {
    close();
  }
}

if (require.main === module) {
  // A .env beside the project is read when present, as for the server.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const io: ProfitIo = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTerminal: Boolean(process.stdout.isTTY),
  };
  main(process.argv.slice(2), process.env, io).then((code) => {
    process.stdout.write('', () => process.exit(code));
  });
}
