/**
 * Email through nodemailer over an SMTP URL. The title is the subject; a
 * message with HTML carries it as the body, its images inline (referenced by
 * `cid:`), its files attached, and its text as the plain alternative for
 * clients that show no HTML. An alert's body opens with its title.
 */
import nodemailer, { type Transporter, type TransportOptions } from 'nodemailer';
import { RejectedError, TemporaryError } from '../../domain/errors';
import type { Notification, Notifier } from '../../ports';

/** Where and how to send. */
export interface EmailNotifierOptions {
  /** e.g. `smtp://user:pass@host:587`; `?secure=true`, TLS and auth follow nodemailer's URL rules. */
  smtpUrl: string;
  from: string;
  to: string[];
  /** Milliseconds before connection and greeting give up; default 15 s. */
  timeoutMs?: number;
}

/** Sends notifications as email; one message to all recipients. */
export class EmailNotifier implements Notifier {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly options: EmailNotifierOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    this.transport = nodemailer.createTransport(options.smtpUrl, {
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 2,
    } as TransportOptions);
  }

  /** Delivers it, or throws RejectedError (SMTP 5xx) or TemporaryError, with the server's answer. */
  async send(n: Notification): Promise<void> {
    const message = {
      from: this.options.from,
      to: this.options.to.join(', '),
      subject: n.title,
      text: n.kind === 'alert' ? `${n.title}\n\n${n.text}\n` : n.text,
      ...(n.html !== undefined && { html: n.html }),
      attachments: [
        ...(n.inlineImages ?? []).map((i) => ({ filename: i.filename, path: i.path, cid: i.cid })),
        ...(n.attachments ?? []).map((a) => ({ filename: a.filename, path: a.path })),
      ],
    };
    try {
      await this.transport.sendMail(message);
    } catch (err) {
      // SMTP 5xx answers (unknown recipient, auth refused) won't get better by retrying.
      const code = (err as { responseCode?: number }).responseCode;
      const msg = `email not sent: ${(err as Error).message}`;
      throw code !== undefined && code >= 500
        ? new RejectedError(msg, code, { cause: err })
        : new TemporaryError(msg, undefined, { cause: err });
    }
  }

  /** Closes pooled connections, if any. */
  close(): void {
    this.transport.close();
  }
}
