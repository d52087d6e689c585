/**
 * The real GoogleSheetStore, through the real googleapis client, over HTTP
 * to the wire-level fake Sheets server.
 */
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { google } from 'googleapis';
import { GoogleSheetStore } from '../../src/adapters/google-sheets';
import { fetchOnly } from '../../src/adapters/google-sheets/guarded-fetch';
import { ConfigurationError, NotFoundError, RejectedError, TemporaryError } from '../../src/domain/errors';
import { startFakeSheets, type FakeSheets } from '../fakes/fake-sheets';
import { createServiceAccount, type TestServiceAccount } from '../support/service-account';

const SHEET_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated'];
const FORMULA = '=IMPORTXML("http://x","//a")';

let account: TestServiceAccount;
let fake: FakeSheets;
let store: GoogleSheetStore;

const keyJson = (a: TestServiceAccount) => JSON.parse(readFileSync(a.keyFile, 'utf8')) as Record<string, string>;
/** The googleapis client itself, for what the store never does (USER_ENTERED, probing the fake). */
function rawApi() {
  const auth = new google.auth.JWT({ email: account.email, key: keyJson(account).private_key, scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
  auth.useJWTAccessWithScope = true;
  return google.sheets({ version: 'v4', auth, rootUrl: fake.url, fetchImplementation: fetch, retry: false });
}
const writes = () => fake.requests.filter((r) => r.kind === 'write');
const makeStore = (o: { timeoutMs?: number; credentialsFile?: string; spreadsheetId?: string } = {}) =>
  new GoogleSheetStore({
    spreadsheetId: o.spreadsheetId ?? SHEET_ID,
    credentialsFile: o.credentialsFile ?? account.keyFile,
    rootUrl: fake.url,
    timeoutMs: o.timeoutMs,
  });

beforeAll(async () => {
  account = createServiceAccount();
  fake = await startFakeSheets({
    spreadsheetId: SHEET_ID,
    serviceAccountEmail: account.email,
    publicKeyPem: account.publicKeyPem,
    tabs: { Config: [HEADER, ['AAPL', '$5,000', 'TRUE', '15 Min', 'READY', '']] },
  });
});
afterAll(async () => {
  await fake.close();
  account.cleanup();
});
beforeEach(() => {
  fake.reset();
  store = makeStore();
});

describe('reading a tab', () => {
  it('when rows are short or blank, then they come back as displayed text without trailing empties', async () => {
    fake.setTab('Config', [HEADER, ['AAPL', 5000, true, '15 Min'], [], ['MSFT', '', false, '1 Hour', '', '']]);
    expect(await store.readTab('Config')).toEqual([
      HEADER,
      ['AAPL', '5000', 'TRUE', '15 Min'],
      [],
      ['MSFT', '', 'FALSE', '1 Hour'],
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: `/v4/spreadsheets/${SHEET_ID}/values/'Config'`, status: 200 });
    expect(fake.requests[0].query.get('valueRenderOption')).toBe('FORMATTED_VALUE');
  });

  it('when the tab is empty (the API omits "values"), then it reads as no rows', async () => {
    fake.setTab('Empty', []);
    expect(await store.readTab('Empty')).toEqual([]);
  });

  it('when the tab name has a space and a quote, then it is quoted properly', async () => {
    fake.setTab("Bob's P&L 2", [['x', 'y']]);
    expect(await store.readTab("Bob's P&L 2")).toEqual([['x', 'y']]);
  });

  it('when the tab does not exist, then NotFoundError', async () => {
    await expect(store.readTab('Nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.readTab('Nope')).rejects.toThrow('Tab "Nope" does not exist');
  });
});

describe('writing cells', () => {
  it('when several cells are written, then it is one RAW batchUpdate and formula text stays text', async () => {
    await store.writeCells([
      { tab: 'Config', row: 2, column: 5, value: 'FILLED' },
      { tab: 'Config', row: 2, column: 6, value: '2025-10-10 07:15:02 PDT' },
      { tab: 'Config', row: 3, column: 1, value: FORMULA },
      { tab: 'Config', row: 3, column: 28, value: 'far right' },
    ]);
    expect(writes()).toHaveLength(1);
    expect(writes()[0]).toMatchObject({ method: 'POST', path: `/v4/spreadsheets/${SHEET_ID}/values:batchUpdate` });
    expect(writes()[0].body).toMatchObject({
      valueInputOption: 'RAW',
      data: [
        { range: "'Config'!E2", values: [['FILLED']] },
        { range: "'Config'!F2", values: [['2025-10-10 07:15:02 PDT']] },
        { range: "'Config'!A3", values: [[FORMULA]] },
        { range: "'Config'!AB3", values: [['far right']] },
      ],
    });
    const tab = fake.tab('Config');
    expect(tab[1]).toEqual(['AAPL', '$5,000', 'TRUE', '15 Min', 'FILLED', '2025-10-10 07:15:02 PDT']);
    expect(tab[2][0]).toBe(FORMULA);
    expect(tab[2][27]).toBe('far right');
    expect(fake.formulasWritten()).toEqual([]);
  });

  it('when the same text is written with USER_ENTERED, then the fake records a formula (the tripwire works)', async () => {
    await rawApi().spreadsheets.values.update({ spreadsheetId: SHEET_ID, range: 'Config!A3', valueInputOption: 'USER_ENTERED', requestBody: { values: [[FORMULA]] } });
    expect(fake.formulasWritten()).toEqual([{ tab: 'Config', cell: 'A3', formula: FORMULA }]);
  });

  it('when there is nothing to write, then no request is sent', async () => {
    await store.writeCells([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('when a write names a missing tab, then NotFoundError and no cell changes', async () => {
    const before = fake.tab('Config');
    const err = await store
      .writeCells([
        { tab: 'Config', row: 2, column: 5, value: 'FILLED' },
        { tab: 'Nope', row: 1, column: 1, value: 'x' },
      ])
      .catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toContain('Tab "Nope" does not exist');
    expect(fake.tab('Config')).toEqual(before);
  });
});

describe('replacing a tab', () => {
  const TABLE = [
    ['symbol', 'total_pnl'],
    ['AAPL', '-$12.00'],
    ['TOTAL', '-$12.00'],
  ];

  it('when the tab is missing, then it is created and filled in one values write', async () => {
    expect(fake.tabs()).not.toContain('Performance');
    await store.replaceTab('Performance', TABLE);
    expect(fake.tab('Performance')).toEqual(TABLE);
    const w = writes();
    expect(w.map((r) => r.path)).toEqual([`/v4/spreadsheets/${SHEET_ID}:batchUpdate`, `/v4/spreadsheets/${SHEET_ID}/values/'Performance'!A1:B3`]);
    expect(w[0].body).toEqual({ requests: [{ addSheet: { properties: { title: 'Performance' } } }] });
    expect(w[1].query.get('valueInputOption')).toBe('RAW');
    expect(fake.history('Performance')).toEqual([[], TABLE]);
  });

  it('when the old content was larger, then stale rows and cells are blanked in the same single write', async () => {
    const old = [
      ['symbol', 'total_pnl', 'note'],
      ['AAPL', '$1.00', 'x'],
      ['MSFT', '$2.00'],
      ['TSLA', '$3.00'],
      ['TOTAL', '$6.00', '', '', 'stray'],
    ];
    old[1][27] = 'beyond Z';
    fake.setTab('Performance', old);
    await store.replaceTab('Performance', TABLE);
    expect(fake.tab('Performance')).toEqual(TABLE);
    expect(writes()).toHaveLength(1);
    expect(writes()[0]).toMatchObject({ method: 'PUT', path: `/v4/spreadsheets/${SHEET_ID}/values/'Performance'!A1:AB5` });
    // Every state a reader could ever have seen: the old table, then the new one. Nothing in between.
    expect(fake.history('Performance')).toEqual([TABLE]);
  });

  it('when refreshes overlap, then they run one after the other and the last one wins whole', async () => {
    const big = [['h'], ...Array.from({ length: 30 }, (_, i) => [`row ${i}`])];
    await Promise.all([store.replaceTab('Performance', big), store.replaceTab('Performance', TABLE)]);
    expect(fake.tab('Performance')).toEqual(TABLE);
    const valueWrites = writes().filter((r) => r.method === 'PUT');
    expect(valueWrites).toHaveLength(2);
    expect(fake.history('Performance').slice(-2)).toEqual([big, TABLE]);
  });

  it('when it is replaced with nothing, then the tab is emptied', async () => {
    fake.setTab('Performance', TABLE);
    await store.replaceTab('Performance', []);
    expect(fake.tab('Performance')).toEqual([]);
  });
});

describe('errors from Google', () => {
  it('when the write quota is exhausted (429), then TemporaryError at once, without retrying', async () => {
    fake.inject({ method: 'POST', path: /values:batchUpdate/, status: 429, forMs: 20_000 });
    const started = Date.now();
    const err = await store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'FILLED' }]).catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.message).toMatch(/quota/i);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.requests).toHaveLength(1);
  });

  it('when reads hit the real per-minute quota, then the overflow read is a TemporaryError', async () => {
    await fake.close();
    fake = await startFakeSheets({
      spreadsheetId: SHEET_ID,
      serviceAccountEmail: account.email,
      publicKeyPem: account.publicKeyPem,
      tabs: { Config: [HEADER] },
      quota: { readsPerMinute: 3 },
    });
    store = makeStore();
    for (let i = 0; i < 3; i++) await store.readTab('Config');
    await expect(store.readTab('Config')).rejects.toBeInstanceOf(TemporaryError);
    expect(fake.requests.at(-1)?.status).toBe(429);
  });

  it('when Google sends Retry-After, then TemporaryError carries it', async () => {
    fake.inject({ status: 429, retryAfterSeconds: 7 });
    const err = await store.readTab('Config').catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.retryAfterMs).toBe(7000);
  });

  it('when one read meets a 500, then the client retries it once and it succeeds', async () => {
    fake.inject({ method: 'GET', status: 500, times: 1 });
    expect((await store.readTab('Config'))[0]).toEqual(HEADER);
    expect(fake.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('when Sheets keeps failing with 5xx, then TemporaryError after at most one retry', async () => {
    fake.inject({ status: 503, forMs: 10_000 });
    await expect(store.readTab('Config')).rejects.toBeInstanceOf(TemporaryError);
    expect(fake.requests).toHaveLength(2);
    await expect(store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'x' }])).rejects.toBeInstanceOf(TemporaryError);
    expect(fake.requests).toHaveLength(3);
  });

  it('when the connection drops, then TemporaryError', async () => {
    fake.inject({ drop: true, times: 5 });
    await expect(store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'x' }])).rejects.toBeInstanceOf(TemporaryError);
  });

  it('when Sheets is slower than the timeout, then TemporaryError', async () => {
    store = makeStore({ timeoutMs: 150 });
    fake.inject({ delayMs: 1000, times: 5 });
    await expect(store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'x' }])).rejects.toBeInstanceOf(TemporaryError);
  });

  it('when the sheet is not shared (403), then RejectedError telling whom to share it with, and no secret', async () => {
    fake.setShared(false);
    const err = await store.readTab('Config').catch((e) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.status).toBe(403);
    expect(err.message).toContain(`Share the sheet with the service account ${account.email}`);
    expect(err.message).not.toContain('PRIVATE KEY');
    expect(err.message).not.toContain(account.privateKeyPem.split('\n')[1]);
  });

  it('when the spreadsheet id is wrong (404), then RejectedError naming GOOGLE_SHEET_ID', async () => {
    store = makeStore({ spreadsheetId: 'no-such-sheet' });
    const err = await store.readTab('Config').catch((e) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.status).toBe(404);
    expect(err.message).toContain('GOOGLE_SHEET_ID');
  });

  it('when the key file holds another key for the same account (401), then RejectedError about the key', async () => {
    const impostor = createServiceAccount({ email: account.email });
    try {
      const err = await makeStore({ credentialsFile: impostor.keyFile }).readTab('Config').catch((e) => e);
      expect(err).toBeInstanceOf(RejectedError);
      expect(err.status).toBe(401);
      expect(err.message).toContain(impostor.keyFile);
      expect(fake.requests[0]).toMatchObject({ status: 401, authError: expect.stringContaining('signature') });
    } finally {
      impostor.cleanup();
    }
  });

  it('when the key file is missing, then ConfigurationError at construction', () => {
    expect(() => makeStore({ credentialsFile: '/nonexistent/key.json' })).toThrow(ConfigurationError);
  });
});

describe('authentication stays local', () => {
  /** Every outgoing connection and HTTP request this process makes while `fn` runs. */
  async function outgoing(fn: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const onFetch = (m: unknown) => seen.push(`fetch ${(m as { request: { origin: string } }).request.origin}`);
    const onHttp = (m: unknown) => seen.push(`http ${(m as { request: { host: string } }).request.host}`);
    const onSocket = (m: unknown) => {
      const socket = (m as { socket: Socket }).socket;
      socket.once('lookup', (_e: unknown, _a: unknown, _f: unknown, host: string) => seen.push(`dns ${host}`));
      socket.once('connect', () => seen.push(`tcp ${socket.remoteAddress}:${socket.remotePort}`));
    };
    diagnostics.subscribe('undici:request:create', onFetch);
    diagnostics.subscribe('http.client.request.start', onHttp);
    diagnostics.subscribe('net.client.socket', onSocket);
    try {
      await fn();
    } finally {
      diagnostics.unsubscribe('undici:request:create', onFetch);
      diagnostics.unsubscribe('http.client.request.start', onHttp);
      diagnostics.unsubscribe('net.client.socket', onSocket);
    }
    return seen;
  }

  it('when the store works, then every request carries a self-signed JWT and nothing else is contacted', async () => {
    // A key file whose token_uri points at a local tripwire: no token exchange may ever reach it (or Google).
    const tripwire: Server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => tripwire.listen(0, '127.0.0.1', r));
    let tripped = 0;
    tripwire.on('request', () => tripped++);
    const tokenUri = `http://127.0.0.1:${(tripwire.address() as AddressInfo).port}/token`;
    const withTokenUri = createServiceAccount({ overrides: { token_uri: tokenUri } });
    const local = await startFakeSheets({
      spreadsheetId: SHEET_ID,
      serviceAccountEmail: withTokenUri.email,
      publicKeyPem: withTokenUri.publicKeyPem,
      tabs: { Config: [HEADER] },
    });
    try {
      const s = new GoogleSheetStore({ spreadsheetId: SHEET_ID, credentialsFile: withTokenUri.keyFile, rootUrl: `${local.url}/ignored/prefix` });
      const seen = await outgoing(async () => {
        await s.readTab('Config');
        await s.writeCells([{ tab: 'Config', row: 2, column: 1, value: 'AAPL' }]);
        await s.replaceTab('Performance', [['a']]);
      });
      const port = new URL(local.url).port;
      expect(seen.length).toBeGreaterThan(0);
      for (const line of seen) expect(line).toMatch(new RegExp(`^(fetch http://127\\.0\\.0\\.1:${port}|tcp 127\\.0\\.0\\.1:${port})$`));
      expect(tripped).toBe(0);
      expect(local.requests.length).toBe(6);
      for (const r of local.requests) {
        expect(r.host).toBe(`127.0.0.1:${port}`);
        expect(r.caller).toBe(withTokenUri.email);
        expect(r.path.startsWith(`/v4/spreadsheets/${SHEET_ID}`)).toBe(true);
      }
    } finally {
      await local.close();
      withTokenUri.cleanup();
      await new Promise((r) => tripwire.close(r));
    }
  });

  it('when a request is signed, then it is an RS256 JWT with the key id, iss = sub = the account, and the spreadsheets scope', async () => {
    const seen: string[] = [];
    const spy = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ range: 'Config!A1:Z1000', majorDimension: 'ROWS' }));
    });
    await new Promise<void>((r) => spy.listen(0, '127.0.0.1', r));
    try {
      const s = new GoogleSheetStore({ spreadsheetId: SHEET_ID, credentialsFile: account.keyFile, rootUrl: `http://127.0.0.1:${(spy.address() as AddressInfo).port}` });
      await s.readTab('Config');
      const [h, p] = seen[0].replace(/^Bearer /, '').split('.');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      expect(header).toMatchObject({ alg: 'RS256', kid: keyJson(account).private_key_id });
      expect(claims).toMatchObject({ iss: account.email, sub: account.email, scope: 'https://www.googleapis.com/auth/spreadsheets' });
      expect(claims.aud).toBeUndefined();
      expect(claims.exp - claims.iat).toBe(3600);
    } finally {
      await new Promise((r) => spy.close(r));
    }
  });

  it('when anything tries another host, then the guard refuses it before connecting', async () => {
    const guarded = fetchOnly(fake.url);
    await expect(guarded('https://oauth2.googleapis.com/token', { method: 'POST' })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(guarded(`${fake.url}/v4/spreadsheets/x`)).resolves.toHaveProperty('status', 401);
  });
});

describe('the fake Sheets server', () => {
  const status = (p: Promise<unknown>) => p.then(() => 200, (e: { status?: number }) => e.status);

  it('when a range is open-ended or names no tab, then it is read like the API does', async () => {
    fake.setTab('Config', [HEADER, ['AAPL', 5000, true], ['MSFT']]);
    const api = rawApi();
    const a = await api.spreadsheets.values.get({ spreadsheetId: SHEET_ID, range: 'Config!A2:F' });
    expect(a.data).toEqual({ range: 'Config!A2:F1000', majorDimension: 'ROWS', values: [['AAPL', '5000', 'TRUE'], ['MSFT']] });
    const b = await api.spreadsheets.values.get({ spreadsheetId: SHEET_ID, range: 'B2', valueRenderOption: 'UNFORMATTED_VALUE' });
    expect(b.data).toEqual({ range: 'Config!B2', majorDimension: 'ROWS', values: [[5000]] });
    const c = await api.spreadsheets.values.batchGet({ spreadsheetId: SHEET_ID, ranges: ["'Config'!C:C", 'Config!A10:B'] });
    expect(c.data.valueRanges).toEqual([
      { range: 'Config!C1:C1000', majorDimension: 'ROWS', values: [['active'], ['TRUE']] },
      { range: 'Config!A10:B1000', majorDimension: 'ROWS' },
    ]);
    expect(fake.readCount).toBe(3);
  });

  it('when a write omits valueInputOption or overflows its range, then 400 like the API', async () => {
    const api = rawApi();
    expect(await status(api.spreadsheets.values.update({ spreadsheetId: SHEET_ID, range: 'Config!A1', requestBody: { values: [['x']] } }))).toBe(400);
    expect(await status(api.spreadsheets.values.batchUpdate({ spreadsheetId: SHEET_ID, requestBody: { data: [{ range: 'Config!A1', values: [['x']] }] } }))).toBe(400);
    expect(await status(api.spreadsheets.values.update({ spreadsheetId: SHEET_ID, range: 'Config!A1:B1', valueInputOption: 'RAW', requestBody: { values: [['a', 'b', 'c']] } }))).toBe(400);
    expect(fake.writeCount).toBe(0);
    expect(fake.tab('Config')[0]).toEqual(HEADER);
  });

  it('when tabs are listed, added and cleared, then the answers have the real shapes', async () => {
    const api = rawApi();
    const listed = await api.spreadsheets.get({ spreadsheetId: SHEET_ID, fields: 'sheets.properties' });
    expect(listed.data).toEqual({
      sheets: [{ properties: { sheetId: 0, title: 'Config', index: 0, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } } }],
    });
    const added = await api.spreadsheets.batchUpdate({ spreadsheetId: SHEET_ID, requestBody: { requests: [{ addSheet: { properties: { title: 'Log' } } }] } });
    expect(added.data.replies?.[0].addSheet?.properties).toMatchObject({ title: 'Log', index: 1 });
    expect(await status(api.spreadsheets.batchUpdate({ spreadsheetId: SHEET_ID, requestBody: { requests: [{ addSheet: { properties: { title: 'log' } } }] } }))).toBe(400);
    await api.spreadsheets.values.update({ spreadsheetId: SHEET_ID, range: 'Log!A1', valueInputOption: 'RAW', requestBody: { values: [['a', 'b'], ['c', 'd']] } });
    await api.spreadsheets.values.clear({ spreadsheetId: SHEET_ID, range: 'Log!B1:B2' });
    expect(fake.tab('Log')).toEqual([['a'], ['c']]);
    await api.spreadsheets.values.batchClear({ spreadsheetId: SHEET_ID, requestBody: { ranges: ['Log'] } });
    expect(fake.tab('Log')).toEqual([]);
    expect(fake.history('Log')).toEqual([[], [['a', 'b'], ['c', 'd']], [['a'], ['c']], []]);
  });

  it('when a request has no bearer JWT, then 401 in Google\'s error shape', async () => {
    const res = await fetch(`${fake.url}/v4/spreadsheets/${SHEET_ID}/values/Config`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 401, message: expect.stringContaining('invalid authentication credentials'), status: 'UNAUTHENTICATED' } });
  });

  it('when writes exceed the per-minute quota, then 429 RESOURCE_EXHAUSTED and reads still pass', async () => {
    await fake.close();
    fake = await startFakeSheets({ spreadsheetId: SHEET_ID, serviceAccountEmail: account.email, publicKeyPem: account.publicKeyPem, tabs: { Config: [HEADER] } });
    store = makeStore();
    for (let i = 0; i < 60; i++) await store.writeCells([{ tab: 'Config', row: 2, column: 1, value: String(i) }]);
    const err = await store.writeCells([{ tab: 'Config', row: 2, column: 1, value: 'late' }]).catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(fake.requests.at(-1)?.status).toBe(429);
    expect(await store.readTab('Config')).toEqual([HEADER, ['59']]);
  });
});
