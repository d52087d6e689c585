/**
 * The broker registry (src/adapters/brokers.ts): the settings choose the
 * broker, its mode, what comes with it, and whether it needs the journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALPACA_RULES } from '../../../src/adapters/alpaca/rules';
import { type BrokerNeeds, chooseBroker } from '../../../src/adapters/brokers';
import { openDatabase } from '../../../src/adapters/sqlite-journal/database';
import { memoryLogger } from '../../../src/logger';
import { systemClock } from '../../../src/shared/clock';
import { loadSettings } from '../../../src/settings';

const ALPACA = {
  WEBHOOK_SECRET: 'webhook-secret-0123456789',
  API_TOKEN: 'api-token-0123456789abcdef',
  APCA_API_KEY_ID: 'key-id',
  APCA_API_SECRET_KEY: 'secret-key',
  APCA_API_BASE_URL: 'http://127.0.0.1:9',
};

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'brokers-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Needs whose database may not be asked for: a broker that keeps no book in the journal never opens it. */
const noDatabase: BrokerNeeds = {
  clock: systemClock,
  database: () => {
    throw new Error('the journal was opened');
  },
};

describe('the broker registry', () => {
  it('when Alpaca is set, then Alpaca is chosen, paper or live by ALPACA_PAPER, with no journal and no local market', async () => {
    expect(chooseBroker(loadSettings({ ...ALPACA, DATA_DIR: dataDir })).mode).toBe('paper');
    expect(chooseBroker(loadSettings({ ...ALPACA, DATA_DIR: dataDir, ALPACA_PAPER: 'false', APCA_API_BASE_URL: '' })).mode).toBe('live');
    const opened = await chooseBroker(loadSettings({ ...ALPACA, DATA_DIR: dataDir })).open(noDatabase);
    expect(opened.history).toBe(opened.broker);
    expect(opened.localMarket).toBeUndefined();
    expect(opened.broker.rules).toBe(ALPACA_RULES);
  });

  it('when Alpaca is set, then its order events are the trade_updates stream, and none with ORDER_EVENTS=polling', async () => {
    const stream = await chooseBroker(loadSettings({ ...ALPACA, DATA_DIR: dataDir })).orderEvents?.(memoryLogger());
    expect(stream?.state).toBe('polling'); // not started: nothing is opened until start
    expect(
      await chooseBroker(loadSettings({ ...ALPACA, DATA_DIR: dataDir, ORDER_EVENTS: 'polling' })).orderEvents?.(memoryLogger()),
    ).toBeUndefined();
  });

  it(
    'when no broker is set, then the paper broker is chosen (local), on the ' +
      "journal's database, as the local market, with Alpaca's rules and no order events",
    async () => {
      const chosen = chooseBroker(loadSettings({ DATA_DIR: dataDir }));
      expect(chosen.mode).toBe('local');
      expect(chosen.orderEvents).toBeUndefined();
      const db = openDatabase(dataDir);
      try {
        const opened = await chosen.open({ clock: systemClock, database: () => db });
        expect(opened.localMarket).toBe(opened.broker);
        expect(opened.history).toBe(opened.broker);
        expect(opened.broker.rules).toEqual(ALPACA_RULES);
      } finally {
        db.close();
      }
    },
  );
});
