/**
 * Fan-out to every channel. Channels are tried in parallel and independently:
 * one failing (a dead SMTP server, a revoked webhook) is recorded and logged,
 * and never stops or delays the others.
 */
import { describeError } from '../domain/errors';
import type { Logger, Notification, Notifier } from '../ports';

/** What happened on one channel. */
export interface Delivery {
  channel: Notifier['channel'];
  ok: boolean;
  /** Why it failed, log-safe. */
  error?: string;
}

/** Sends `notification` on every notifier and reports each outcome; never throws. */
export async function sendAll(notifiers: readonly Notifier[], notification: Notification, logger: Logger): Promise<Delivery[]> {
  return Promise.all(
    notifiers.map(async (n): Promise<Delivery> => {
      try {
        await n.send(notification);
        logger.info('notify.sent', { channel: n.channel, kind: notification.kind });
        return { channel: n.channel, ok: true };
      } catch (err) {
        const error = describeError(err);
        logger.error('notify.failed', { channel: n.channel, kind: notification.kind, error });
        return { channel: n.channel, ok: false, error };
      }
    }),
  );
}
