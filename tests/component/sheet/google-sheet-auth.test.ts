/**
 * The Google Sheets store authenticates with a self-signed JWT and talks to
 * nothing but the configured origin: no token endpoint, no other Google host.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GoogleSheetStore } from '../../../src/adapters/google-sheets';
import { readServiceAccountKey } from '../../../src/settings/google-key';
import { fetchOnly } from '../../../src/adapters/google-sheets/guarded-fetch';
import { ConfigurationError } from '../../../src/domain/errors';
import { startFakeSheets } from '../../fakes/fake-sheets';
import { createServiceAccount } from '../../support/service-account';
import { HEADER, SHEET_ID, useFakeSheets } from '../../support/sheets-fixture';

const fx = useFakeSheets();

describe('authentication stays local', () => {
  /**
   * Every outgoing connection and HTTP request that `fn` causes. Diagnostics
   * messages are published in the caller's async context, so activity left
   * over in this worker by another test file is not counted, while anything
   * the store starts, however deep, is.
   */
  async function outgoing(fn: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const scope = new AsyncLocalStorage<true>();
    const mine = () => scope.getStore() === true;
    const onFetch = (m: unknown) => mine() && seen.push(`fetch ${(m as { request: { origin: string } }).request.origin}`);
    const onHttp = (m: unknown) => mine() && seen.push(`http ${(m as { request: { host: string } }).request.host}`);
    const onSocket = (m: unknown) => {
      if (!mine()) return;
      const socket = (m as { socket: Socket }).socket;
      socket.once('lookup', (_e: unknown, _a: unknown, _f: unknown, host: string) => seen.push(`dns ${host}`));
      socket.once('connect', () => seen.push(`tcp ${socket.remoteAddress}:${socket.remotePort}`));
    };
    diagnostics.subscribe('undici:request:create', onFetch);
    diagnostics.subscribe('http.client.request.start', onHttp);
    diagnostics.subscribe('net.client.socket', onSocket);
    try {
      await scope.run(true, fn);
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
      const s = new GoogleSheetStore({
        spreadsheetId: SHEET_ID,
        key: readServiceAccountKey(withTokenUri.keyFile),
        rootUrl: `${local.url}/ignored/prefix`,
      });
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
      const s = new GoogleSheetStore({
        spreadsheetId: SHEET_ID,
        key: readServiceAccountKey(fx.account.keyFile),
        rootUrl: `http://127.0.0.1:${(spy.address() as AddressInfo).port}`,
      });
      await s.readTab('Config');
      const [h, p] = seen[0].replace(/^Bearer /, '').split('.');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      expect(header).toMatchObject({ alg: 'RS256', kid: fx.keyJson(fx.account).private_key_id });
      expect(claims).toMatchObject({ iss: fx.account.email, sub: fx.account.email, scope: 'https://www.googleapis.com/auth/spreadsheets' });
      expect(claims.aud).toBeUndefined();
      expect(claims.exp - claims.iat).toBe(3600);
    } finally {
      await new Promise((r) => spy.close(r));
    }
  });

  it('when anything tries another host, then the guard refuses it before connecting', async () => {
    const guarded = fetchOnly(fx.fake.url);
    await expect(guarded('https://oauth2.googleapis.com/token', { method: 'POST' })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(guarded(`${fx.fake.url}/v4/spreadsheets/x`)).resolves.toHaveProperty('status', 401);
  });
});
