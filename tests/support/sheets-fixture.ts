/**
 * The shared fixture of the Google Sheets tests: a throw-away service
 * account, the fake Sheets server, and the real googleapis client pointed at it.
 */
import { readFileSync } from 'node:fs';
import { auth as googleAuth, sheets } from 'googleapis/build/src/apis/sheets';
import { GoogleSheetStore } from '../../src/adapters/google-sheets';
import { readServiceAccountKey } from '../../src/settings/google-key';
import { startFakeSheets, type FakeSheets, type FakeSheetsOptions } from '../fakes/fake-sheets';
import { createServiceAccount, type TestServiceAccount } from './service-account';

export const SHEET_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
export const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated'];
export const FORMULA = '=IMPORTXML("http://x","//a")';

/** What a test file gets: live references, valid inside its tests. */
export interface SheetsFixture {
  readonly account: TestServiceAccount;
  /** Replaceable, e.g. by a fake with another quota (the old one must be closed first). */
  fake: FakeSheets;
  store: GoogleSheetStore;
  keyJson(a: TestServiceAccount): Record<string, string>;
  /** The googleapis client itself, for what the store never does (USER_ENTERED, probing the fake). */
  rawApi(): ReturnType<typeof sheets>;
  writes(): FakeSheets['requests'][number][];
  makeStore(o?: { timeoutMs?: number; credentialsFile?: string; spreadsheetId?: string }): GoogleSheetStore;
  /** Closes the fake and starts another for the same account (a Config of HEADER alone unless `options` say), with a new store. */
  restartFake(options?: Partial<FakeSheetsOptions>): Promise<void>;
}

/** Registers the before/after hooks of a file that tests against the fake Sheets server. */
export function useFakeSheets(): SheetsFixture {
  let account: TestServiceAccount;
  let fake: FakeSheets;
  let store: GoogleSheetStore;
  const keyJson = (a: TestServiceAccount) => JSON.parse(readFileSync(a.keyFile, 'utf8')) as Record<string, string>;
  const makeStore = (o: { timeoutMs?: number; credentialsFile?: string; spreadsheetId?: string } = {}) =>
    new GoogleSheetStore({
      spreadsheetId: o.spreadsheetId ?? SHEET_ID,
      key: readServiceAccountKey(o.credentialsFile ?? account.keyFile),
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
  return {
    get account() {
      return account;
    },
    get fake() {
      return fake;
    },
    set fake(f: FakeSheets) {
      fake = f;
    },
    get store() {
      return store;
    },
    set store(s: GoogleSheetStore) {
      store = s;
    },
    keyJson,
    rawApi() {
      const auth = new googleAuth.JWT({
        email: account.email,
        key: keyJson(account).private_key,
        scopes: ['https://www.googleapis.com/auth/spreadsheets'],
      });
      auth.useJWTAccessWithScope = true;
      return sheets({ version: 'v4', auth, rootUrl: fake.url, fetchImplementation: fetch, retry: false });
    },
    writes: () => fake.requests.filter((r) => r.kind === 'write'),
    makeStore,
    async restartFake(options = {}) {
      await fake.close();
      fake = await startFakeSheets({
        spreadsheetId: SHEET_ID,
        serviceAccountEmail: account.email,
        publicKeyPem: account.publicKeyPem,
        tabs: { Config: [HEADER] },
        ...options,
      });
      store = makeStore();
    },
  };
}
