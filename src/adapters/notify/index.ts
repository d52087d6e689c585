/**
 * The notifiers for whatever channels the settings configure. The server
 * (daily-loss breaker, protection, halt at start) and the analytics CLI both
 * build theirs here, from the registry (./channels.ts).
 */
import type { Notifier } from '../../ports';
import { configuredEntries, type NotifySettings } from '../../settings/notify';

/**
 * One notifier per configured channel, in the registry's order (email, sms, slack); [] when none is set.
 * Each channel's module (and its SDK) is loaded only when that channel is configured:
 * twilio and nodemailer together add about 35 MB to a server that may never use them.
 */
export function createNotifiers(settings: NotifySettings): Notifier[] {
  return configuredEntries(settings).map((c) => c.spec.create(c.settings));
}
