/**
 * `npm run doctor [-- --env-file PATH]`: checks a machine before it trades.
 * Verifies the env file's permissions, the settings, the doors and brakes,
 * the sheet, the Alpaca keys and the market clock, and prints a pass/fail
 * list. It never sends an order. Exit code 1 when anything failed.
 */
import { existsSync, statSync } from 'node:fs';
import { systemClock } from './clock';
import { describeError } from './domain/errors';
import { type CheckResult, fileModeCheck, runChecks } from './doctor/checks';
import { loadSettings } from './settings';

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

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

async function main(): Promise<number> {
  console.log('trading-bot doctor: checks only, places no orders\n');
  const flag = process.argv.indexOf('--env-file');
  const envFile = flag >= 0 ? process.argv[flag + 1] : existsSync('.env') ? '.env' : undefined;
  const results: CheckResult[] = [];
  if (envFile) {
    results.push(fileModeCheck('env file', envFile));
    try {
      process.loadEnvFile(envFile);
    } catch (err) {
      results.push({ name: 'env file', outcome: 'fail', detail: `${envFile} could not be read: ${describeError(err)} (run with sudo?)` });
    }
  } else {
    results.push({ name: 'env file', outcome: 'warn', detail: 'none read; for the service run: sudo npm run doctor -- --env-file /etc/trading-bot/env' });
  }
  let settings;
  try {
    settings = loadSettings(process.env);
    results.push({ name: 'settings', outcome: 'pass', detail: 'every setting parsed' });
  } catch (err) {
    results.push({ name: 'settings', outcome: 'fail', detail: describeError(err) });
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
