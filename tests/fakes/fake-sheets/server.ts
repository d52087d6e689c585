/**
 * A wire-level fake of the Google Sheets v4 API for one spreadsheet: a real
 * HTTP server on 127.0.0.1 that the real googleapis client talks to through
 * `rootUrl`. It checks self-signed JWTs, enforces the per-user quota, answers
 * in the real shapes, and lets tests inject faults and inspect every request.
 * See README.md in this folder.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../read-body';
import { JwtVerifier } from './auth';
import { ApiError, Book, type FormulaWrite } from './book';
import { FaultList, Quota, defaultMessage, quotaMessage, statusWord, type FaultSpec, type QuotaOptions } from './faults';
import { route, routeKind } from './routes';
import type { CellInput, Layout } from './workbook';

/** How to start the fake. */
export interface FakeSheetsOptions {
  spreadsheetId: string;
  /** The only account whose JWTs are accepted (iss/sub). */
  serviceAccountEmail: string;
  /** Its public key (SPKI PEM); JWTs must be RS256-signed by the matching private key. */
  publicKeyPem: string;
  /** Tabs at start (and after `reset()`), in order; default one empty `Sheet1` like a new spreadsheet. */
  tabs?: Record<string, CellInput[][]>;
  /** The spreadsheet's locale (default `en_US`); formatted numbers follow it, e.g. `1.500,00` in `de_DE`. */
  locale?: string;
  /** Per-user reads/writes per minute (default 60/60 over 60 s); `false` turns it off. */
  quota?: QuotaOptions | false;
  /** Delay before every answer. */
  latencyMs?: number;
  /** Whether the sheet is shared with the service account (else 403); default true. */
  shared?: boolean;
  /** The clock for quota windows, fault deadlines and JWT expiry; default Date.now. */
  now?: () => number;
}

/** One request as the fake saw it. */
export interface RequestRecord {
  at: number;
  method: string;
  /** Decoded path, e.g. `/v4/spreadsheets/ID/values/'Config'!A1:Z`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, or the raw text, or undefined when empty. */
  body: unknown;
  /** The `Host` header, to prove where the client was pointed. */
  host?: string;
  /** The answer's status; 0 while in flight or when the connection was dropped. */
  status: number;
  kind?: 'read' | 'write';
  /** The JWT's verified email, or why the bearer was refused. */
  caller?: string;
  authError?: string;
}

/** The running fake and its control and inspection API. */
export interface FakeSheets {
  /** Origin to pass as `rootUrl`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Creates or overwrites a tab (not logged, not in history). */
  setTab(name: string, rows: CellInput[][]): void;
  /** Deletes a tab. */
  removeTab(name: string): void;
  /** A tab as displayed text, trailing empties omitted; throws when missing. */
  tab(name: string): string[][];
  /** Tab names in order. */
  tabs(): string[];
  /** A tab's formatting as batchUpdate left it (frozen rows, colour rules, formats and validation per cell). */
  layout(name: string): Layout;
  /** Successful read / write requests so far. */
  readonly readCount: number;
  readonly writeCount: number;
  /** Every request received, in order. */
  readonly requests: readonly RequestRecord[];
  /** Formulas created by USER_ENTERED writes; RAW writes never add any. */
  formulasWritten(): FormulaWrite[];
  /** The tab's content after each successful write request that touched it. */
  history(tab: string): string[][][];
  /** Arms a fault (see FaultSpec). */
  inject(fault: FaultSpec): void;
  setLatency(ms: number): void;
  /** Shares or unshares the sheet with the service account. */
  setShared(shared: boolean): void;
  /** Back to the start: tabs, faults, quota, logs, counters, history, latency, sharing. */
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function send(res: ServerResponse, record: RequestRecord, code: number, json: unknown, headers: Record<string, string> = {}) {
  record.status = code;
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(json));
}

function sendError(res: ServerResponse, record: RequestRecord, code: number, message: string, headers?: Record<string, string>) {
  send(res, record, code, { error: { code, message, status: statusWord(code) } }, headers);
}

const UNAUTHENTICATED =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
  'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** Starts the fake on 127.0.0.1, port 0. */
export async function startFakeSheets(options: FakeSheetsOptions): Promise<FakeSheets> {
  const now = options.now ?? Date.now;
  const verifier = new JwtVerifier(options.serviceAccountEmail, options.publicKeyPem, now);
  const faults = new FaultList(now);
  const quota = new Quota(options.quota ?? {}, now);
  const log: RequestRecord[] = [];
  const histories = new Map<string, string[][][]>();
  const counts = { read: 0, write: 0 };
  let latencyMs = options.latencyMs ?? 0;
  let shared = options.shared ?? true;

  const freshBook = () => {
    const b = new Book('Trading Bot', options.locale);
    for (const [name, rows] of Object.entries(options.tabs ?? { Sheet1: [] })) b.put(name, rows);
    return b;
  };
  let book = freshBook();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const text = await readBody(req);
    let body: unknown = text === '' ? undefined : text;
    try {
      if (text) body = JSON.parse(text);
    } catch {
      // kept as text; answered 400 below
    }
    const path = safeDecode(url.pathname);
    const record: RequestRecord = { at: now(), method, path, query: url.searchParams, body, host: req.headers.host, status: 0 };
    log.push(record);

    if (latencyMs) await sleep(latencyMs);
    const fault = faults.take(method, path);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      return sendError(res, record, fault.status, fault.message ?? defaultMessage(fault.status), headers);
    }

    const auth = verifier.check(req.headers.authorization);
    if (!auth.ok) {
      record.authError = auth.reason;
      return sendError(res, record, 401, UNAUTHENTICATED);
    }
    record.caller = auth.caller.email;
    const m = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/.exec(url.pathname);
    const kind = m ? routeKind(method, m[2]) : undefined;
    if (!m || !kind) return sendError(res, record, 404, 'Method not found.');
    record.kind = kind;
    if (!quota.take(kind)) return sendError(res, record, 429, quotaMessage(kind));
    if (safeDecode(m[1]) !== options.spreadsheetId) return sendError(res, record, 404, 'Requested entity was not found.');
    if (!shared) return sendError(res, record, 403, 'The caller does not have permission');
    if (kind === 'read' ? !auth.caller.canRead : !auth.caller.canWrite) {
      return sendError(res, record, 403, 'Request had insufficient authentication scopes.');
    }
    if (typeof body === 'string') return sendError(res, record, 400, 'Invalid JSON payload received.');

    try {
      const result = route(book, options.spreadsheetId, {
        method,
        rest: m[2],
        query: url.searchParams,
        body: (body ?? {}) as Record<string, unknown>,
      });
      counts[kind]++;
      for (const sheet of new Set(result.touched)) {
        if (!book.sheets.includes(sheet)) continue;
        const key = sheet.title.toLowerCase();
        histories.set(key, [...(histories.get(key) ?? []), sheet.snapshot()]);
      }
      send(res, record, 200, result.json);
    } catch (err) {
      if (err instanceof ApiError) return sendError(res, record, err.code, err.message);
      sendError(res, record, 500, `fake-sheets bug: ${String(err)}`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setTab: (name, rows) => void book.put(name, rows),
    removeTab: (name) => {
      const sheet = book.find(name);
      if (sheet) book.sheets = book.sheets.filter((s) => s !== sheet);
      book.sheets.forEach((s, i) => (s.index = i));
    },
    tab: (name) => {
      const sheet = book.find(name);
      if (!sheet) throw new Error(`fake-sheets: no tab "${name}" (tabs: ${book.sheets.map((s) => s.title).join(', ')})`);
      return sheet.snapshot();
    },
    tabs: () => book.sheets.map((s) => s.title),
    layout: (name) => {
      const sheet = book.find(name);
      if (!sheet) throw new Error(`fake-sheets: no tab "${name}"`);
      return sheet.layout;
    },
    get readCount() {
      return counts.read;
    },
    get writeCount() {
      return counts.write;
    },
    requests: log,
    formulasWritten: () => [...book.formulas],
    history: (tab) => [...(histories.get(tab.toLowerCase()) ?? [])],
    inject: (fault) => faults.add(fault),
    setLatency: (ms) => void (latencyMs = ms),
    setShared: (value) => void (shared = value),
    reset: () => {
      book = freshBook();
      faults.clear();
      quota.reset();
      log.length = 0;
      counts.read = counts.write = 0;
      histories.clear();
      latencyMs = options.latencyMs ?? 0;
      shared = options.shared ?? true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
