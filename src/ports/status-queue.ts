/** A status waiting in the outbox to be written into the sheet. */
export interface PendingStatus {
  id: number;
  symbol: string;
  timeframe: string;
  status: string;
  reason?: string;
  /** Last Updated, already formatted in the status time zone. */
  updatedAt: string;
}

/** The outbox's queue of statuses for the sheet, kept in the journal so none is lost to an outage or a restart. */
export interface StatusQueue {
  /** Queues a status for the sheet. */
  enqueueStatus(status: Omit<PendingStatus, 'id'>): void;
  /** The oldest queued statuses, in order. */
  pendingStatuses(limit: number): PendingStatus[];
  /** Removes written statuses from the outbox. */
  completeStatuses(ids: number[]): void;
}
