import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { openDatabase } from './adapters/sqlite-journal/database';
import { SqliteSignalLog } from './adapters/sqlite-journal/signal-log';
import { SqliteJournal } from './adapters/sqlite-journal/sqlite-journal';
import type { AccountHistory, Broker, Clock, Journal, SheetStore, SignalLogStore } from './ports';
import type { CoreSettings } from './settings/core';

/** The adapters chosen by the settings: Alpaca or the paper broker, the Google Sheet or CSV files. */
export interface Adapters {
  db: Database.Database;
  journal: Journal;
  /** The Signals tab's log, in the journal's database. */
  signalLog: SignalLogStore;
  broker: Broker;
  history: AccountHistory;
  sheet: SheetStore;
  /** Closes the database. */
  close(): void;
}

/**
 * Opens the journal and picks each adapter from the settings; shared by the
 * server and the CLIs. Each adapter's module is loaded only when chosen, so a
 * server on Alpaca and Google never loads the paper broker or the CSV code.
 */
export async function openAdapters(settings: CoreSettings, clock: Clock, seedConfig?: string[][]): Promise<Adapters> {
  const db = openDatabase(settings.dataDir);
  const journal = new SqliteJournal(db, () => clock.now().getTime());
  const alpaca = settings.alpaca
    ? new (await import('./adapters/alpaca')).AlpacaBroker({ ...settings.alpaca })
    : undefined;
  const paper = alpaca ? undefined : new (await import('./adapters/paper-broker')).PaperBroker(db, { clock });
  const sheet: SheetStore = settings.google
    ? new (await import('./adapters/google-sheets')).GoogleSheetStore({ spreadsheetId: settings.google.sheetId, key: settings.google.key, rootUrl: settings.google.rootUrl })
    : await (await import('./adapters/local-sheet')).LocalSheetStore.open(join(settings.dataDir, 'sheet'), seedConfig && { tab: settings.configTab, rows: seedConfig });
  return {
    db, journal, sheet,
    signalLog: new SqliteSignalLog(db),
    broker: (alpaca ?? paper)!,
    history: (alpaca ?? paper)!,
    close: () => db.close(),
  };
}
