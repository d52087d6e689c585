/**
 * SMS through Twilio's Messages API, one segment (160 characters): the
 * notification's summary line, as many of its phrases as fit, else its title. `apiUrl` sends every
 * request to another origin (a local server in tests, or a proxy) by
 * rewriting the URI in the SDK's own HTTP client, so the real SDK still
 * builds the request.
 */
import twilio from 'twilio';
import { RejectedError, TemporaryError } from '../../domain/errors';
import type { Notification, Notifier } from '../../ports';

type RequestOptions<T> = import('twilio/lib/base/RequestClient').RequestOptions<T>;

/** Account, numbers and an optional API origin. */
export interface SmsNotifierOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio number in E.164 form, or a messaging service SID. */
  from: string;
  to: string[];
  /** e.g. `http://127.0.0.1:8123`; requests keep their path and query. */
  apiUrl?: string;
  /** Milliseconds before a request gives up; default 15 s. */
  timeoutMs?: number;
}

/** The most one SMS segment holds in GSM-7. */
export const SMS_MAX = 160;

/** Twilio's HTTP client with every request sent to `origin` instead. */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly origin: string,
    opts: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(opts);
  }

  override request<T>(opts: RequestOptions<T>) {
    const target = new URL(opts.uri);
    const base = new URL(this.origin);
    target.protocol = base.protocol;
    target.host = base.host;
    return super.request<T>({ ...opts, uri: target.href });
  }
}

/** Sends notifications as SMS, one message per recipient. */
export class SmsNotifier implements Notifier {
  readonly channel = 'sms' as const;
  private readonly client: twilio.Twilio;

  constructor(private readonly options: SmsNotifierOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    this.client = twilio(options.accountSid, options.authToken, {
      // An empty env keeps the SDK from picking up TWILIO_* variables behind the settings module's back.
      env: {},
      timeout,
      httpClient: options.apiUrl ? new RedirectingRequestClient(options.apiUrl, { timeout }) : undefined,
    });
  }

  /** Sends to every recipient; throws after trying them all if any failed. */
  async send(n: Notification): Promise<void> {
    const body = smsText(n);
    const failures: string[] = [];
    let rejected = true;
    for (const to of this.options.to) {
      try {
        await this.client.messages.create({ from: this.options.from, to, body });
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status === undefined || status >= 500 || status === 429) rejected = false;
        failures.push(`${to}: ${(err as Error).message}`);
      }
    }
    if (failures.length > 0) {
      const msg = `sms not sent to ${failures.join('; ')}`;
      throw rejected ? new RejectedError(msg) : new TemporaryError(msg);
    }
  }
}

/**
 * The text of the SMS for a notification, within one segment: the summary's
 * phrases (joined by ", ") while they fit, else the title; a first phrase or
 * title too long is cut with "...".
 */
export function smsText(n: Notification): string {
  if (n.summary === undefined) return cut(n.title);
  const [first, ...rest] = n.summary.split(', ');
  let text = cut(first);
  for (const phrase of rest) {
    if (text.length + 2 + phrase.length > SMS_MAX) break;
    text += ', ' + phrase;
  }
  return text;
}

/** `text` within one segment. */
function cut(text: string): string {
  // Plain ASCII dots: one non-GSM character would halve the segment to 70.
  return text.length <= SMS_MAX ? text : text.slice(0, SMS_MAX - 3) + '...';
}
