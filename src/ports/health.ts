/** The bot's own vital signs, for /health. */
export interface HealthProbe {
  /** Undefined when the journal can be written and the database passes a quick check; else what is wrong. */
  problem(): string | undefined;
  /** Statuses waiting in the outbox to be written into the sheet. */
  outboxBacklog(): number;
  /** When the last signal arrived (epoch ms), if any ever did. */
  lastSignalAt(): number | undefined;
}
