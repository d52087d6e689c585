/**
 * `npm run sheet:init [-- --env-file PATH]`: prepares the trader's sheet with
 * the server's own settings. It creates the Config, Performance, Signals,
 * Controls and Positions tabs when missing, adds missing Config columns and
 * controls at the end, and (on the Google Sheet) the checkboxes, drop-downs,
 * dollar format, frozen bold headers and status colours. It prints one line per change, or "nothing to do".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GoogleSheetStore } from './adapters/google-sheets';
import { LocalSheetStore } from './adapters/local-sheet';
import { LocalSheetLayout } from './adapters/local-sheet/sheet-layout';
import { initSheet } from './app/sheet/init-sheet';
import { ConfigurationError, describeError } from './domain/errors';
import type { SheetLayout } from './ports';
import { loadSettings, type Settings } from './settings';

const HELP = `Usage: npm run sheet:init [-- --env-file PATH]

Prepares the sheet named by the server's settings (GOOGLE_SHEET_ID, or the
CSV files under DATA_DIR/sheet in local mode). Safe to run again: it only
adds what is missing and never changes the trader's rows.`;

async function layoutFor(settings: Settings): Promise<{ layout: SheetLayout; where: string }> {
  if (settings.google) {
    const store = new GoogleSheetStore({
      spreadsheetId: settings.google.sheetId,
      key: settings.google.key,
      rootUrl: settings.google.rootUrl,
    });
    return { layout: store.layout(), where: `Google Sheet ${settings.google.sheetId}` };
  }
  const store = await LocalSheetStore.open(join(settings.dataDir, 'sheet'));
  return { layout: new LocalSheetLayout(store), where: `CSV files in ${store.location}` };
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const flag = argv.indexOf('--env-file');
  const envFile = flag >= 0 ? argv[flag + 1] : existsSync('.env') ? '.env' : undefined;
  if (flag >= 0 && !envFile) {
    console.error('--env-file needs a path');
    return 2;
  }
  if (envFile) process.loadEnvFile(envFile);
  const settings = loadSettings(process.env);
  const { layout, where } = await layoutFor(settings);
  console.log(`sheet:init on the ${where}`);
  const report = await initSheet(layout, {
    configTab: settings.configTab,
    performanceTab: settings.performance.tab,
    signalsTab: settings.signals.tab,
    controlsTab: settings.controls.tab,
    positionsTab: settings.positionsTab,
  });
  for (const line of report.done) console.log(`  ${line}`);
  for (const line of report.warnings) console.log(`  warning: ${line}`);
  if (report.done.length === 0 && report.warnings.length === 0) console.log('  nothing to do');
  return report.warnings.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    const what = err instanceof ConfigurationError ? 'Settings error' : 'sheet:init stopped';
    console.error(`${what}: ${describeError(err)}`);
    process.exit(1);
  },
);
