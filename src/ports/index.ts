/**
 * The small interfaces between the use cases and the outside world, one file
 * per port. Use cases depend only on these; adapters implement them;
 * `src/server.ts` and `src/wiring.ts` wire them. Every method translates
 * vendor failures into the errors of `domain/errors`: TemporaryError (retry),
 * RejectedError (final, with the service's reason), NotFoundError.
 */
export type { Broker } from './broker';
export type { LocalMarket } from './local-market';
export type { AccountHistory } from './account-history';
export type { BlockWrite, CellWrite, SheetStore, SheetWrite } from './sheet-store';
export type { SheetLayout } from './sheet-layout';
export type { Attachment, Fact, InlineImage, Notification, Notifier, Section } from './notifier';
export type { Clock } from './clock';
export type { Logger } from './logger';
export type { HealthProbe } from './health';
export type { StateStore } from './state';
export type { SignalJournal, SignalRecord } from './signal-journal';
export type { OrderJournal, OrderRecord } from './order-journal';
export type { PendingStatus, StatusQueue } from './status-queue';
export type { RowBookChange, RowBookEntry, RowBooks } from './row-books';
export type { PositionProtection, TradeState } from './trade-state';
export type { Journal } from './journal';
export type { SignalLogEntry, SignalLogStore } from './signal-log';
export type { OrderEventHandlers, OrderEventSource, OrderEventState } from './order-events';
