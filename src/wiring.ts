import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { type BrokerMode, chooseBroker, type OpenedBroker } from './adapters/brokers';
import { openDatabase, openDatabaseReadOnly } from './adapters/sqlite-journal/database';
import { SqliteSignalLog } from './adapters/sqlite-journal/signal-log';
import { SqliteJournal } from './adapters/sqlite-journal/sqlite-journal';
import type { AccountHistory, Broker, Clock, Journal, LocalMarket, Logger, OrderEventSource, SheetStore, SignalLogStore } from './ports';
import type { CoreSettings } from './settings/core';

/** The adapters chosen by the settings: Alpaca or the paper broker, the Google Sheet or CSV files. */
export interface Adapters {
  db: Database.Database;
  journal: Journal;
  /** The Signals tab's log, in the journal's database. */
  signalLog: SignalLogStore;
  broker: Broker;
  history: AccountHistory;
  /** Where orders go (the banner, the Controls tab, /health, the reports): `local`, `paper` or `live`. */
  brokerMode: BrokerMode;
  /** The broker's name for the banner: `Alpaca`. */
  brokerName: string;
  /** The paper broker's market, which the alerts' prices move; absent when the broker has a market of its own (Alpaca). */
  localMarket?: LocalMarket;
  sheet: SheetStore;
  /** Closes the database. */
  close(): void;
}

/*
 * Each adapter's module is loaded only when the settings choose it, so a
 * server on Alpaca and Google never loads the paper broker or the CSV code.
 * The broker is chosen in one place, adapters/brokers.ts.
 */

/** Opens (creating) the journal and picks each adapter from the settings; shared by the server and the analytics CLI. */
export async function openAdapters(settings: CoreSettings, clock: Clock, seedConfig?: string[][]): Promise<Adapters> {
  const db = openDatabase(settings.dataDir);
  const sheet: SheetStore = settings.google
    ? await googleSheet(settings.google)
    : await (
        await import('./adapters/local-sheet')
      ).LocalSheetStore.open(join(settings.dataDir, 'sheet'), seedConfig && { tab: settings.configTab, rows: seedConfig });
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
    const sheet: SheetStore = settings.google
      ? await googleSheet(settings.google)
      : await (await import('./adapters/local-sheet')).LocalSheetStore.existing(join(settings.dataDir, 'sheet'));
    return await adaptersOn(db, sheet, settings, clock);
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Only the broker and its history, for `npm run profit`: the journal is
 * opened (read-only, never created) only when the broker keeps its book
 * there, as the paper broker does; Alpaca needs none.
 */
export async function openBrokerReadOnly(
  settings: CoreSettings,
  clock: Clock,
): Promise<OpenedBroker & { mode: BrokerMode; close(): void }> {
  let db: Database.Database | undefined;
  const close = () => db?.close();
  try {
    const chosen = chooseBroker(settings);
    const opened = await chosen.open({ clock, database: () => (db ??= openDatabaseReadOnly(settings.dataDir)) });
    return { ...opened, mode: chosen.mode, close };
  } catch (err) {
    close();
    throw err;
  }
}

async function googleSheet(google: NonNullable<CoreSettings['google']>): Promise<SheetStore> {
  return new (await import('./adapters/google-sheets')).GoogleSheetStore({
    spreadsheetId: google.sheetId,
    key: google.key,
    rootUrl: google.rootUrl,
  });
}

/** The journal, the broker the settings choose (the paper broker on the same database) and the sheet, as one set. */
async function adaptersOn(db: Database.Database, sheet: SheetStore, settings: CoreSettings, clock: Clock): Promise<Adapters> {
  const journal = new SqliteJournal(db, () => clock.now().getTime());
  const chosen = chooseBroker(settings);
  const { broker, history, localMarket } = await chosen.open({ clock, database: () => db });
  return {
    db,
    journal,
    sheet,
    signalLog: new SqliteSignalLog(db),
    broker,
    history,
    brokerMode: chosen.mode,
    brokerName: chosen.name,
    localMarket,
    close: () => db.close(),
  };
}

/**
 * The order event source of the broker the settings choose: Alpaca's trade_updates stream (not yet connected;
 * `start` opens it), or undefined with the paper broker or ORDER_EVENTS=polling, when the app polls.
 */
export async function orderEventSource(settings: CoreSettings, logger: Logger): Promise<OrderEventSource | undefined> {
  return chooseBroker(settings).orderEvents?.(logger);
}
