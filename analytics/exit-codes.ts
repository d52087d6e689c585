/**
 * The CLI's exit codes, so cron or a systemd unit can tell outcomes apart
 * (`OnFailure=`, `|| mail …`). Documented in analytics/README.md.
 */
export const EXIT = {
  /** Files written, every requested message delivered, no threshold breached. */
  OK: 0,
  /** The run failed (broker unreachable, disk full…); nothing reliable was produced. */
  FAILED: 1,
  /** Bad flags or dates; the usage was printed. */
  USAGE: 2,
  /** A setting is missing or wrong, or a channel was asked for but not configured. */
  CONFIG: 3,
  /** Files written, but at least one channel failed to deliver. */
  DELIVERY_FAILED: 4,
  /** A threshold is breached now (whether or not its alert was still cooling down). */
  BREACH: 5,
  /** Both 4 and 5. */
  BREACH_AND_DELIVERY_FAILED: 6,
} as const;

/** The code for a finished run. */
export function exitCodeFor(anyDeliveryFailed: boolean, anyBreach: boolean): number {
  if (anyDeliveryFailed && anyBreach) return EXIT.BREACH_AND_DELIVERY_FAILED;
  if (anyDeliveryFailed) return EXIT.DELIVERY_FAILED;
  if (anyBreach) return EXIT.BREACH;
  return EXIT.OK;
}
