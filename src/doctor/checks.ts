import { accessSync, constants, statSync } from 'node:fs';
import { configColumn } from '../domain/trading/config-columns';
import { parseConfigTable } from '../domain/trading/config-table';
import { join } from 'node:path';
import { JOURNAL_FILE } from '../adapters/sqlite-journal/database';
import { orAfter } from '../shared/clock';
import { describeError } from '../domain/errors';
import type { Clock } from '../ports';
import type { Settings } from '../settings';
import { openAdaptersReadOnly, type Adapters } from '../wiring';
import type { CheckResult } from './check-result';
import { doorsAndBrakes } from './posture';

/** The slowest a single check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 15_000;

/** Fails when a secret-holding file can be read by anyone but its owner. */
export function fileModeCheck(name: string, file: string): CheckResult {
  try {
    const mode = statSync(file).mode & 0o777;
    const shown = mode.toString(8).padStart(4, '0');
    if ((mode & 0o077) === 0) return { name, outcome: 'pass', detail: `${file} is ${shown}` };
    return { name, outcome: 'fail', detail: `${file} is ${shown}; others can read its secrets. Run: chmod 600 ${file}` };
  } catch (err) {
    return { name, outcome: 'fail', detail: `${file}: ${describeError(err)}` };
  }
}

/** The check's results; one failure when it throws or takes longer than CHECK_TIMEOUT_MS. */
async function timed(name: string, run: () => Promise<CheckResult | CheckResult[]>): Promise<CheckResult[]> {
  const late = (): CheckResult => ({ name, outcome: 'fail', detail: `no answer within ${CHECK_TIMEOUT_MS / 1000}s` });
  try {
    return [await orAfter(run(), CHECK_TIMEOUT_MS, late)].flat();
  } catch (err) {
    return [{ name, outcome: 'fail', detail: describeError(err) }];
  }
}

/**
 * Every check the doctor runs once the settings parse: files, doors and
 * brakes, the data dir and the service's journal, the sheet, the broker keys
 * and the market clock. It reads only: the journal is opened read-only and
 * never created (a missing one means DATA_DIR is not the service's), and the
 * one write is the sheet's Order Status header rewritten with its own text,
 * to prove the service account may edit. No order is ever sent.
 */
export async function runChecks(settings: Settings, clock: Clock): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (settings.google) results.push(fileModeCheck('google key file', settings.google.key.file));
  if (settings.safety.tls) results.push(fileModeCheck('TLS key file', settings.safety.tls.keyFile));
  results.push(...doorsAndBrakes(settings));
  let adapters: Adapters;
  try {
    adapters = await openAdaptersReadOnly(settings, clock);
  } catch (err) {
    results.push({ name: 'journal', outcome: 'fail', detail: describeError(err) });
    return results;
  }
  results.push({ name: 'journal', outcome: 'pass', detail: `${join(settings.dataDir, JOURNAL_FILE)} opened read-only` });
  try {
    accessSync(settings.dataDir, constants.W_OK);
    results.push({ name: 'data dir', outcome: 'pass', detail: `${settings.dataDir} is writable` });
  } catch (err) {
    results.push({ name: 'data dir', outcome: 'fail', detail: `${settings.dataDir} is not writable: ${describeError(err)}` });
  }
  try {
    const { sheet, broker, journal, brokerMode } = adapters;
    results.push(
      ...(await timed('sheet', async () => {
        const cells = await sheet.readValues(settings.configTab);
        const table = parseConfigTable(cells);
        const active = table.rows.filter((r) => r.active && !r.problem).length;
        const out: CheckResult[] = [
          {
            name: 'sheet',
            outcome: 'pass',
            detail: `${sheet.kind} ${sheet.location}: ${settings.configTab} tab has ${table.rows.length} rows, ${active} active`,
          },
        ];
        for (const s of table.skipped) out.push({ name: 'sheet row', outcome: 'warn', detail: `row ${s.sheetRow} skipped: ${s.reason}` });
        for (const r of table.rows.filter((row) => row.problem))
          out.push({ name: 'sheet row', outcome: 'warn', detail: `row ${r.sheetRow} (${r.symbol}): ${r.problem}` });
        const column = table.columns.orderStatus;
        if (column === undefined) {
          const detail = `no "${configColumn('orderStatus').header}" column: add one so statuses have a place`;
          return [...out, { name: 'sheet write', outcome: 'fail', detail }];
        }
        await sheet.writeCells([
          { tab: settings.configTab, row: table.headerRow, column: column + 1, value: String(cells[table.headerRow - 1][column]) },
        ]);
        return [...out, { name: 'sheet write', outcome: 'pass', detail: 'the bot may edit the sheet (header rewritten unchanged)' }];
      })),
    );
    results.push(
      ...(await timed('broker', async () => {
        const account = await broker.getAccount();
        const ok = account.status.toUpperCase() === 'ACTIVE';
        return {
          name: 'broker',
          outcome: ok ? 'pass' : 'fail',
          detail:
            `${brokerMode} account ${account.status}, equity $${account.equity.toFixed(2)}, ` +
            `buying power $${account.buyingPower.toFixed(2)}, shorting ${account.shortingEnabled ? 'on' : 'off'}`,
        };
      })),
    );
    results.push(
      ...(await timed('market clock', async () => {
        const c = await broker.getClock();
        return { name: 'market clock', outcome: 'pass', detail: c.isOpen ? `open; closes ${c.nextClose}` : `closed; opens ${c.nextOpen}` };
      })),
    );
    const halt = journal.get('trading.halt');
    const halted = halt ? (JSON.parse(halt) as { halted?: boolean; reason?: string }) : undefined;
    results.push(
      halted?.halted
        ? { name: 'kill switch', outcome: 'warn', detail: `trading is HALTED (${halted.reason ?? 'no reason'}); POST /resume to trade` }
        : {
            name: 'kill switch',
            outcome: 'pass',
            detail: settings.safety.tradingEnabled ? 'trading enabled' : 'TRADING_ENABLED=false: the server will start halted',
          },
    );
  } finally {
    adapters.close();
  }
  return results;
}
