/**
 * Slack through an incoming webhook. Reports post their Block Kit blocks;
 * alerts post a header and a section. `text` is always set, as Slack uses it
 * for notifications and for clients that can't show blocks.
 */
import { IncomingWebhook } from '@slack/webhook';
import { RejectedError, TemporaryError } from '../../domain/errors';
import type { Notification, Notifier } from '../../ports';

/** Where to post. */
export interface SlackNotifierOptions {
  webhookUrl: string;
  /** Milliseconds before the post gives up; default 15 s. */
  timeoutMs?: number;
}

/** Posts notifications to one Slack channel through its webhook. */
export class SlackNotifier implements Notifier {
  readonly channel = 'slack' as const;
  private readonly webhook: IncomingWebhook;

  constructor(options: SlackNotifierOptions) {
    this.webhook = new IncomingWebhook(options.webhookUrl, { timeout: options.timeoutMs ?? 15_000 });
  }

  /** Delivers it, or throws RejectedError (4xx) or TemporaryError; the webhook URL is never in the message. */
  async send(n: Notification): Promise<void> {
    const message =
      n.kind === 'alert'
        ? {
            text: `${n.title}\n${n.text}`,
            blocks: [
              { type: 'header', text: { type: 'plain_text', text: `:rotating_light: ${n.title}`.slice(0, 150) } },
              { type: 'section', text: { type: 'mrkdwn', text: n.text.slice(0, 3000) } },
            ],
          }
        : { text: n.subject, blocks: n.slackBlocks as never[] };
    try {
      await this.webhook.send(message);
    } catch (err) {
      // The SDK's message can quote the URL, which is a secret: keep only the status.
      const status = (err as { statusCode?: number }).statusCode;
      const body = (err as { body?: string }).body;
      const detail = status ? `HTTP ${status}${body ? ` ${body.slice(0, 200)}` : ''}` : safeMessage(err);
      const msg = `slack webhook failed: ${detail}`;
      // Slack answers 4xx for a revoked or mistyped webhook: retrying won't help.
      throw status !== undefined && status < 500 && status !== 429
        ? new RejectedError(msg, status, { cause: err })
        : new TemporaryError(msg, undefined, { cause: err });
    }
  }
}

/** The error's message with any URL removed. */
function safeMessage(err: unknown): string {
  return String((err as Error)?.message ?? err).replace(/https?:\/\/\S+/g, '<webhook>');
}
