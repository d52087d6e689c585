/**
 * The notifiers for whatever channels the settings configure. The server
 * (daily-loss breaker) and the analytics CLI both build theirs here.
 */
import type { Notifier } from '../../ports';
import type { NotifySettings } from '../../settings/notify';

/**
 * One notifier per configured channel, in the order email, sms, slack; [] when none is set.
 * Each channel's module (and its SDK) is loaded only when that channel is configured:
 * twilio and nodemailer together add about 35 MB to a server that may never use them.
 */
export function createNotifiers(settings: NotifySettings): Notifier[] {
  const out: Notifier[] = [];
  if (settings.email) {
    const { EmailNotifier } = require('./email') as typeof import('./email');
    out.push(new EmailNotifier(settings.email));
  }
  if (settings.sms) {
    const { SmsNotifier } = require('./sms') as typeof import('./sms');
    out.push(new SmsNotifier(settings.sms));
  }
  if (settings.slack) {
    const { SlackNotifier } = require('./slack') as typeof import('./slack');
    out.push(new SlackNotifier(settings.slack));
  }
  return out;
}
