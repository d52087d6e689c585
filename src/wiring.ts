import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { AlpacaBroker, AlpacaOrderStream } from './adapters/alpaca';
import { GoogleSheetStore } from './adapters/google-sheets';
import { LocalSheetStore } from './adapters/local-sheet';
import { PaperBroker } from './adapters/paper-broker';
import { openDatabase } from './adapters/sqlite-journal/database';
import { SqliteSignalLog } from './adapters/sqlite-journal/signal-log';
import { SqliteJournal } from './adapters/sqlite-journal/sqlite-journal';
import type { AccountHistory, Broker, Clock, Journal, Logger, OrderEventSource, SheetStore, SignalLogStore } from './ports';
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

/** Opens the journal and picks each adapter from the settings; shared by the server and the CLIs. */
export async function openAdapters(settings: CoreSettings, clock: Clock, seedConfig?: string[][]): Promise<Adapters> {
  const db = openDatabase(settings.dataDir);
  const journal = new SqliteJournal(db, () => clock.now().getTime());
  const alpaca = settings.alpaca
    ? new AlpacaBroker({ ...settings.alpaca })
    : undefined;
  const paper = alpaca ? undefined : new PaperBroker(db, { clock });
  const sheet: SheetStore = settings.google
    ? new GoogleSheetStore({ spreadsheetId: settings.google.sheetId, key: settings.google.key, rootUrl: settings.google.rootUrl })
    : await LocalSheetStore.open(join(settings.dataDir, 'sheet'), seedConfig && { tab: settings.configTab, rows: seedConfig });
  return {
    db, journal, sheet,
    signalLog: new SqliteSignalLog(db),
    broker: (alpaca ?? paper)!,
    history: (alpaca ?? paper)!,
    close: () => db.close(),
  };
}

/**
 * The order event source the settings ask for: Alpaca's trade_updates stream (not yet connected;
 * `start` opens it), or undefined with the paper broker or ORDER_EVENTS=polling, when the app polls.
 */
export function orderEventSource(settings: CoreSettings, logger: Logger): OrderEventSource | undefined {
  const alpaca = settings.alpaca;
  return alpaca && alpaca.orderEvents === 'stream' ? new AlpacaOrderStream({ ...alpaca, logger }) : undefined;
}
