/**
 * Slack through an incoming webhook, as Block Kit: the title as a header (an
 * alert's behind a siren), then the message's sections (notes as context,
 * facts as fields, lists as lines), or its text when it has none. `text` is
 * always set, as Slack uses it for notifications and for clients that can't
 * show blocks.
 */
import { IncomingWebhook } from '@slack/webhook';
import { RejectedError, TemporaryError } from '../../domain/errors';
import type { Fact, Notification, Notifier, Section } from '../../ports';

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
    try {
      await this.webhook.send(slackMessage(n));
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

/** A Block Kit block, as posted. */
export type SlackBlock = { type: string } & Record<string, unknown>;

/** The webhook's payload for a notification: the text Slack notifies with, and the blocks it shows. */
export function slackMessage(n: Notification): { text: string; blocks: SlackBlock[] } {
  const alert = n.kind === 'alert';
  const header = { type: 'header', text: { type: 'plain_text', text: (alert ? `:rotating_light: ${n.title}` : n.title).slice(0, 150) } };
  const body = n.sections?.length
    ? n.sections.flatMap(sectionBlocks)
    : [{ type: 'section', text: { type: 'mrkdwn', text: n.text.slice(0, 3000) } }];
  return { text: alert ? `${n.title}\n${n.text}` : n.title, blocks: [header, ...body] };
}

/** One section of the message as blocks. */
function sectionBlocks(s: Section): SlackBlock[] {
  switch (s.type) {
    case 'note':
      return [{ type: 'context', elements: [{ type: 'mrkdwn', text: s.text }] }];
    case 'facts': {
      const blocks: SlackBlock[] = [];
      // Slack allows at most 10 fields per section.
      for (let i = 0; i < s.facts.length; i += 10) {
        const fields = s.facts.slice(i, i + 10).map((f) => ({ type: 'mrkdwn', text: `*${f.label}*\n${f.value}` }));
        blocks.push({ type: 'section', fields });
      }
      return blocks;
    }
    case 'list':
      const text = `*${s.title}*\n${s.items.map(listLine).join('\n')}`.slice(0, 3000);
      return [{ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text } }];
  }
}

/** A list item: a green or red dot for its tone, the label in code type (padded to line up), the value. */
function listLine(f: Fact): string {
  const dot = f.tone === 'gain' ? ':large_green_circle: ' : f.tone === 'loss' ? ':red_circle: ' : '';
  return `${dot}\`${f.label.padEnd(6)}\` ${f.value}`;
}

/** The error's message with any URL removed. */
function safeMessage(err: unknown): string {
  return String((err as Error)?.message ?? err).replace(/https?:\/\/\S+/g, '<webhook>');
}
