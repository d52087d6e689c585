/** The embedded paper broker (local mode): the Broker and AccountHistory ports over the app's SQLite file. */
export { PaperBroker, type PaperBrokerOptions } from './paper-broker';
