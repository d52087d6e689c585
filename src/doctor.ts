/**
 * `npm run doctor [-- --env-file PATH | --help]`: checks a machine before it trades.
 * Verifies the env file's permissions, the settings, the doors and brakes,
 * the sheet, the Alpaca keys and the market clock, and prints a pass/fail
 * list. It never sends an order. Exit code 1 when anything failed.
 */
import { existsSync, statSync } from 'node:fs';
import { systemClock } from './shared/clock';
import { describeError } from './domain/errors';
import type { CheckResult } from './doctor/check-result';
import { fileModeCheck, runChecks } from './doctor/checks';
import { loadSettings } from './settings';

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

const USAGE = `Usage: npm run doctor [-- --env-file PATH]

Checks this machine before it trades, and places no orders: the env file's
permissions, every setting (paper/live included), the doors and brakes, the
service's journal under DATA_DIR (opened read-only, never created: a missing
one fails), the sheet (read, and the Order Status header rewritten
unchanged), the Alpaca keys and the market clock. Prints PASS/WARN/FAIL lines.

  --env-file PATH   read the settings from PATH (the service's is
                    /etc/trading-bot/env; run with sudo to read it).
                    Default: .env in the current folder, if there is one.
  --help, -h        print this help.

Exit code: 0 when nothing failed, 1 when a check failed, 2 for a wrong flag.
`;

function print(results: CheckResult[]): void {
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) console.log(`  ${MARK[r.outcome]}  ${r.name.padEnd(width)}  ${r.detail}`);
  const count = (o: CheckResult['outcome']) => results.filter((r) => r.outcome === o).length;
  console.log(`\n${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed`);
}

/**
 * Run as root (to read a root-only env file), the checks go on as the data
 * dir's owner: a journal file created by root would lock the service out.
 */
function becomeDataDirOwner(dataDir: string): CheckResult | undefined {
  if (process.getuid?.() !== 0 || !existsSync(dataDir)) return undefined;
  const { uid, gid } = statSync(dataDir);
  if (uid === 0) return undefined;
  try {
    process.setgid!(gid);
    process.setuid!(uid);
    return { name: 'user', outcome: 'pass', detail: `checks run as uid ${uid}, the owner of ${dataDir}` };
  } catch (err) {
    return { name: 'user', outcome: 'fail', detail: `could not switch to uid ${uid}: ${describeError(err)}` };
  }
}

/** The env file asked for by the flags, '' for none; a string error for a wrong flag. */
function parseFlags(argv: string[]): { help: true } | { envFile?: string } | { error: string } {
  let envFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--env-file' && argv[i + 1] && !argv[i + 1].startsWith('--')) envFile = argv[++i];
    else if (arg.startsWith('--env-file=')) envFile = arg.slice('--env-file='.length);
    else return { error: arg === '--env-file' ? '--env-file needs a path' : `unknown argument: ${arg}` };
  }
  return { envFile };
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  if ('help' in flags) {
    process.stdout.write(USAGE);
    return 0;
  }
  if ('error' in flags) {
    process.stderr.write(`doctor: ${flags.error}\n\n${USAGE}`);
    return 2;
  }
  console.log('trading-bot doctor: checks only, places no orders\n');
  const envFile = flags.envFile ?? (existsSync('.env') ? '.env' : undefined);
  const results: CheckResult[] = [];
  if (envFile) {
    results.push(fileModeCheck('env file', envFile));
    try {
      process.loadEnvFile(envFile);
    } catch (err) {
      results.push({ name: 'env file', outcome: 'fail', detail: `${envFile} could not be read: ${describeError(err)} (run with sudo?)` });
    }
  } else {
    results.push({
      name: 'env file',
      outcome: 'warn',
      detail: 'none read; for the service run: sudo npm run doctor -- --env-file /etc/trading-bot/env',
    });
  }
  let settings;
  try {
    settings = loadSettings(process.env);
    results.push({ name: 'settings', outcome: 'pass', detail: 'every setting parsed' });
  } catch (err) {
    // Each problem on its own line, so a list of them reads like the server's start-up message.
    const [first, ...rest] = describeError(err).split('\n');
    results.push({ name: 'settings', outcome: 'fail', detail: [first, ...rest.map((l) => `            ${l.trim()}`)].join('\n') });
    print(results);
    return 1;
  }
  const drop = becomeDataDirOwner(settings.dataDir);
  if (drop) results.push(drop);
  results.push(...(await runChecks(settings, systemClock)));
  print(results);
  return results.some((r) => r.outcome === 'fail') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`doctor stopped: ${describeError(err)}`);
    process.exit(1);
  },
);
