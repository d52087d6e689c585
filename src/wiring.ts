import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { AlpacaBroker, AlpacaOrderStream } from './adapters/alpaca';
import { GoogleSheetStore } from './adapters/google-sheets';
import { LocalSheetStore } from './adapters/local-sheet';
import { PaperBroker } from './adapters/paper-broker';
import { openDatabase, openDatabaseReadOnly } from './adapters/sqlite-journal/database';
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

/** Opens (creating) the journal and picks each adapter from the settings; shared by the server and the analytics CLI. */
export async function openAdapters(settings: CoreSettings, clock: Clock, seedConfig?: string[][]): Promise<Adapters> {
  const db = openDatabase(settings.dataDir);
  const sheet: SheetStore = settings.google
    ? googleSheet(settings.google)
    : await LocalSheetStore.open(join(settings.dataDir, 'sheet'), seedConfig && { tab: settings.configTab, rows: seedConfig });
  return adaptersOn(db, sheet, settings, clock);
}

/**
 * The service's adapters, for a tool that only looks (the doctor): the
 * journal opened read-only and never created (NotFoundError "no journal at
 * …: is DATA_DIR the service's?" when missing), the CSV folder never created.
 */
export async function openAdaptersReadOnly(settings: CoreSettings, clock: Clock): Promise<Adapters> {
  const db = openDatabaseReadOnly(settings.dataDir);
  try {
    const sheet: SheetStore = settings.google ? googleSheet(settings.google) : await LocalSheetStore.existing(join(settings.dataDir, 'sheet'));
    return adaptersOn(db, sheet, settings, clock);
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Only the broker and its history, for `npm run profit`: Alpaca needs no
 * journal; the paper broker's book is in it, opened read-only and never created.
 */
export function openBrokerReadOnly(settings: CoreSettings, clock: Clock): { broker: Broker; history: AccountHistory; close(): void } {
  if (settings.alpaca) {
    const alpaca = new AlpacaBroker({ ...settings.alpaca });
    return { broker: alpaca, history: alpaca, close: () => undefined };
  }
  const db = openDatabaseReadOnly(settings.dataDir);
  const paper = new PaperBroker(db, { clock });
  return { broker: paper, history: paper, close: () => db.close() };
}

function googleSheet(google: NonNullable<CoreSettings['google']>): SheetStore {
  return new GoogleSheetStore({ spreadsheetId: google.sheetId, key: google.key, rootUrl: google.rootUrl });
}

/** The journal, the broker (Alpaca, else the paper broker on the same database) and the sheet, as one set. */
function adaptersOn(db: Database.Database, sheet: SheetStore, settings: CoreSettings, clock: Clock): Adapters {
  const journal = new SqliteJournal(db, () => clock.now().getTime());
  const alpaca = settings.alpaca
    ? new AlpacaBroker({ ...settings.alpaca })
    : undefined;
  const paper = alpaca ? undefined : new PaperBroker(db, { clock });
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
