/**
 * The brokers the settings can choose, in one list: the one place the
 * wiring (`src/wiring.ts`, for the server, the doctor and the report CLIs)
 * learns which broker to open, what comes with it (its account history, its
 * order event source, the local market when it has no market of its own)
 * and how to name it. Each adapter's module is loaded only once it is
 * chosen, so the server on Alpaca never loads the paper broker, and the
 * server module alone loads no broker SDK.
 */
import type Database from 'better-sqlite3';
import type { AccountHistory, Broker, Clock, LocalMarket, Logger, OrderEventSource } from '../ports';
import type { CoreSettings } from '../settings/core';

/**
 * Where orders go, for the banner, the Controls tab, /health and the reports: `local` is the
 * embedded paper broker; `paper` and `live` are Alpaca accounts.
 */
export type BrokerMode = 'local' | 'paper' | 'live';

/** What opening a broker may use. */
export interface BrokerNeeds {
  clock: Clock;
  /** The journal's database, opened when first asked for (the paper broker keeps its book there; Alpaca needs none). */
  database(): Database.Database;
}

/** An opened broker and what comes with it. */
export interface OpenedBroker {
  broker: Broker;
  history: AccountHistory;
  /** The market the alerts' prices make, offered by a broker with none of its own (the paper broker). */
  localMarket?: LocalMarket;
}

/** The broker the settings choose, not yet opened. */
export interface ChosenBroker {
  mode: BrokerMode;
  /** The broker's name as the trader knows it, for the banner and the doctor: `Alpaca`. */
  name: string;
  /** Loads the adapter's module and opens the broker. */
  open(needs: BrokerNeeds): Promise<OpenedBroker>;
  /** Its order event source, not yet started; undefined (or absent) when the app polls for order changes. */
  orderEvents?(logger: Logger): Promise<OrderEventSource | undefined>;
}

/** One entry of the list: the broker when the settings choose it, else undefined. */
type BrokerChoice = (settings: CoreSettings) => ChosenBroker | undefined;

/** The brokers, first match wins; the paper broker, last, is local mode's (no broker settings). */
const BROKERS: readonly BrokerChoice[] = [
  ({ alpaca }) =>
    alpaca && {
      mode: alpaca.paper ? 'paper' : 'live',
      name: 'Alpaca',
      async open() {
        const broker = new (await import('./alpaca')).AlpacaBroker({ ...alpaca });
        return { broker, history: broker };
      },
      // Alpaca's trade_updates stream, unless ORDER_EVENTS=polling.
      orderEvents: async (logger) =>
        alpaca.orderEvents === 'stream' ? new (await import('./alpaca')).AlpacaOrderStream({ ...alpaca, logger }) : undefined,
    },
  () => ({
    mode: 'local',
    name: 'the built-in paper broker',
    async open({ database, clock }) {
      const paper = new (await import('./paper-broker')).PaperBroker(database(), { clock });
      return { broker: paper, history: paper, localMarket: paper };
    },
  }),
];

/** The broker the settings choose (the first entry of the list that takes them). */
export function chooseBroker(settings: CoreSettings): ChosenBroker {
  for (const choice of BROKERS) {
    const chosen = choice(settings);
    if (chosen) return chosen;
  }
  throw new Error('no broker takes these settings'); // unreachable: the paper broker takes any
}
