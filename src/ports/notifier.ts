/** A message for the trader on every configured channel. */
export type Notification =
  | {
      kind: 'alert';
      /** Short headline, e.g. "Drawdown 12.1% exceeds 10%". */
      title: string;
      /** A few lines of detail. */
      text: string;
    }
  | {
      kind: 'report';
      subject: string;
      /** Plain-text body. */
      text: string;
      /** Self-contained HTML body; inline images referenced as `cid:<cid>`. */
      html: string;
      /** At most 160 characters, for SMS. */
      sms: string;
      /** Slack Block Kit blocks. */
      slackBlocks: unknown[];
      /** Files to attach (CSVs). */
      attachments: { filename: string; path: string }[];
      /** Images shown inline in the HTML. */
      inlineImages: { cid: string; filename: string; path: string }[];
    };

/** One delivery channel (email, SMS or Slack). */
export interface Notifier {
  readonly channel: 'email' | 'sms' | 'slack';
  /** Delivers it or throws; callers log one channel's failure and go on with the others. */
  send(notification: Notification): Promise<void>;
}
