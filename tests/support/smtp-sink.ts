/**
 * A real SMTP server on a free port that keeps every message it receives, and
 * a small MIME reader so tests can look at the parts (HTML body, inline
 * images, attachments) the way a mail client would.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the server got it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A running sink. */
export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, ready for SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  close(): Promise<void>;
}

/** Starts an SMTP server that accepts any sender and recipient without auth or TLS. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise((r) => server.close(() => r())) };
}

/** One leaf part of a MIME message. */
export interface MimePart {
  contentType: string;
  disposition?: string;
  filename?: string;
  /** Content-ID without the angle brackets. */
  cid?: string;
  body: Buffer;
}

/** Header fields of one part, names lower-cased, folded lines joined. */
function parseHeaders(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

/** The value of `param` in a header like `attachment; filename="a.csv"`. */
function param(header: string | undefined, name: string): string | undefined {
  const m = header?.match(new RegExp(`${name}="?([^";]+)"?`, 'i'));
  return m?.[1];
}

/** The top-level headers and every leaf part of a raw message. */
export function parseMime(raw: string): { headers: Record<string, string>; parts: MimePart[] } {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const contentType = headers['content-type'] ?? 'text/plain';
  if (contentType.toLowerCase().startsWith('multipart/')) {
    const boundary = param(contentType, 'boundary') as string;
    const sections = body.split(`--${boundary}`).slice(1);
    const parts = sections.filter((s) => !s.startsWith('--')).flatMap((s) => parseMime(s.replace(/^\r?\n/, '')).parts);
    return { headers, parts };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text = body.replace(/\r?\n$/, '');
  const decoded =
    encoding === 'base64'
      ? Buffer.from(text.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          )
        : Buffer.from(text, 'utf8');
  const part: MimePart = {
    contentType: contentType.split(';')[0].trim().toLowerCase(),
    disposition: headers['content-disposition']?.split(';')[0].trim().toLowerCase(),
    filename: param(headers['content-disposition'], 'filename') ?? param(contentType, 'name'),
    cid: headers['content-id']?.replace(/[<>]/g, ''),
    body: decoded,
  };
  return { headers, parts: [part] };
}
