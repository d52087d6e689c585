/**
 * A local HTTP server that records every request and answers with whatever
 * the test sets, standing in for Slack's webhook and Twilio's API.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as received. */
export interface CapturedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The answer to give: status, body (JSON-encoded unless a string), optional delay. */
export interface CannedResponse {
  status: number;
  body?: unknown;
  delayMs?: number;
}

/** A running capture server. */
export interface HttpCapture {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  requests: CapturedRequest[];
  /** Decides each answer; replace it to inject faults. */
  respond: (req: CapturedRequest) => CannedResponse;
  close(): Promise<void>;
}

/** Starts the server on a free port; by default it answers 200 "ok". */
export async function startHttpCapture(respond?: (req: CapturedRequest) => CannedResponse): Promise<HttpCapture> {
  const capture: HttpCapture = {
    origin: '',
    requests: [],
    respond: respond ?? (() => ({ status: 200, body: 'ok' })),
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      capture.requests.push(captured);
      const answer = capture.respond(captured);
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json' });
        res.end(text);
      }, answer.delayMs ?? 0);
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return capture;
}

/** A Twilio-shaped answer to `POST /2010-04-01/Accounts/{sid}/Messages.json`. */
export function twilioMessageCreated(req: CapturedRequest): CannedResponse {
  const form = new URLSearchParams(req.body);
  const sid = req.url.split('/')[3];
  return {
    status: 201,
    body: {
      sid: 'SM' + String(Date.now()).padStart(32, '0'),
      account_sid: sid,
      from: form.get('From'),
      to: form.get('To'),
      body: form.get('Body'),
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${sid}/Messages/SM0.json`,
    },
  };
}
