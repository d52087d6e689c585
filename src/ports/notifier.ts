/**
 * A message for the trader, said once for every channel. It carries content,
 * never a channel's form: each Notifier renders its own (the email its MIME
 * parts, the SMS its one segment, Slack its blocks) from these fields.
 */

/** A labelled figure; `tone` marks good or bad news, for channels that can colour it. */
export interface Fact {
  label: string;
  value: string;
  tone?: 'gain' | 'loss';
}

/** One part of a message's layout, for channels that lay content out; the others read `text`. */
export type Section =
  /** A line of small print (a caveat, when it was made). */
  | { type: 'note'; text: string }
  /** Labelled figures, side by side where the channel can. */
  | { type: 'facts'; facts: Fact[] }
  /** A titled list, one item a line. */
  | { type: 'list'; title: string; items: Fact[] };

/** A file sent with the message. */
export interface Attachment {
  filename: string;
  path: string;
}

/** An image shown inside the HTML body, which references it as `cid:<cid>`. */
export interface InlineImage extends Attachment {
  cid: string;
}

/** A message for the trader on every configured channel. */
export interface Notification {
  /** An alert wants attention now (a breach, a halt); a report is read at leisure. */
  kind: 'alert' | 'report';
  /** The headline, complete on its own: an email's subject, a Slack header, an alert's SMS. */
  title: string;
  /** The whole message as plain text; an alert's says what lies behind its title. */
  text: string;
  /**
   * The gist in one line of phrases joined by ", ", most important first; a
   * channel with room for less (an SMS) drops whole phrases from the end.
   * Without it such a channel sends the title.
   */
  summary?: string;
  /** `text` as a self-contained HTML document; inline images referenced as `cid:<cid>`. */
  html?: string;
  /** The content laid out in parts, for channels that lay it out (Slack) instead of sending `text`. */
  sections?: Section[];
  /** Files to attach (CSVs). */
  attachments?: Attachment[];
  /** Images shown inline in the HTML. */
  inlineImages?: InlineImage[];
}

/** One delivery channel; its name is the registry's (src/adapters/notify/channels.ts). */
export interface Notifier {
  /** The channel's name in the registry and in logs: 'email', 'sms', 'slack'. */
  readonly channel: string;
  /** Delivers it or throws; callers log one channel's failure and go on with the others. */
  send(notification: Notification): Promise<void>;
}
