/**
 * The notifiers for whatever channels the settings configure. The server
 * (daily-loss breaker) and the analytics CLI both build theirs here.
 */
import type { Notifier } from '../../ports';
import type { NotifySettings } from '../../settings/notify';
import { EmailNotifier } from './email';
import { SlackNotifier } from './slack';
import { SmsNotifier } from './sms';

export { sendAll, type Delivery } from './send-all';
export { EmailNotifier, SlackNotifier, SmsNotifier };

/** One notifier per configured channel, in the order email, sms, slack; [] when none is set. */
export function createNotifiers(settings: NotifySettings): Notifier[] {
  const out: Notifier[] = [];
  if (settings.email) out.push(new EmailNotifier(settings.email));
  if (settings.sms) out.push(new SmsNotifier(settings.sms));
  if (settings.slack) out.push(new SlackNotifier(settings.slack));
  return out;
}
