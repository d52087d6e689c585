/** The whole request body as UTF-8 text; shared by the fake servers. */
import type { IncomingMessage } from 'node:http';

/** Reads `req` to its end. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
