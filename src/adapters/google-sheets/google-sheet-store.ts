/**
 * The trader's Google Sheet behind the SheetStore port, through the real
 * googleapis client. Authenticates with self-signed JWTs (no token endpoint),
 * writes RAW only, and translates every failure into our domain errors.
 */
// Only googleapis' Sheets module: the package's index loads every Google API (about 110 MB and 0.7 s).
import { auth as googleAuth, sheets, type sheets_v4 } from 'googleapis/build/src/apis/sheets';
import type { SheetValue } from '../../domain/trading/config-table';
import type { SheetLayout, SheetStore, SheetWrite } from '../../ports';
import type { ServiceAccountKey } from '../../settings/google-key';
import { isBlock } from '../sheet-writes';
import { NotFoundError, RejectedError } from '../../domain/errors';
import { blockAt, blockRange, cellRange, quoteTab } from './a1';
import { translateSheetsError, type ErrorContext } from './errors';
import { fetchOnly } from './guarded-fetch';
import { GoogleSheetLayout } from './sheet-layout';

const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
const GOOGLE_ORIGIN = 'https://sheets.googleapis.com';

/** How to reach the sheet. Built from settings; this module reads no environment. */
export interface GoogleSheetStoreOptions {
  /** The id in the sheet's URL (GOOGLE_SHEET_ID). */
  spreadsheetId: string;
  /** The service-account key (GOOGLE_APPLICATION_CREDENTIALS), as parsed by the settings. */
  key: ServiceAccountKey;
  /** An origin that replaces https://sheets.googleapis.com (a proxy or a test fake); any path is dropped. */
  rootUrl?: string;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
}

/** SheetStore on a Google Sheet, signing with the service-account key it is given. */
export class GoogleSheetStore implements SheetStore {
  readonly kind = 'google' as const;
  readonly location: string;
  /** The service account's email, which the trader must share the sheet with. */
  readonly clientEmail: string;
  private readonly api: sheets_v4.Sheets;
  private readonly spreadsheetId: string;
  private readonly credentialsFile: string;
  /** replaceTab reads the old extent then writes; two at once could leave stale rows, so they queue. */
  private replacing: Promise<unknown> = Promise.resolve();

  constructor(options: GoogleSheetStoreOptions) {
    const { key } = options;
    this.spreadsheetId = options.spreadsheetId;
    this.credentialsFile = key.file;
    this.clientEmail = key.clientEmail;
    this.location = options.spreadsheetId;
    const origin = new URL(options.rootUrl ?? GOOGLE_ORIGIN).origin;
    // Node's own fetch, fenced to one origin: nothing can leak to another Google
    // host (a token exchange, a metadata probe), and gaxios' default
    // (a dynamic import of node-fetch) is avoided. Proxy variables are not honoured.
    const fetchImplementation = fetchOnly(origin);
    const auth = new googleAuth.JWT({
      email: key.clientEmail,
      key: key.privateKey,
      keyId: key.privateKeyId,
      scopes: [SHEETS_SCOPE],
      transporterOptions: { fetchImplementation },
    });
    // Sign our own JWT with the scope claim on every request instead of trading
    // it for an access token: no call to oauth2.googleapis.com, whatever the
    // key file's token_uri says (the library ignores it anyway).
    auth.useJWTAccessWithScope = true;
    this.api = sheets({
      version: 'v4',
      auth,
      rootUrl: `${origin}/`,
      timeout: options.timeoutMs ?? 10_000,
      fetchImplementation,
      // One quick retry of a read after a 5xx or a dropped connection. Never on
      // 429 (the quota refills per minute, so an instant retry only burns it),
      // never on writes: the outbox above us backs off for longer.
      retryConfig: {
        retry: 1,
        retryDelay: 200,
        httpMethodsToRetry: ['GET'],
        statusCodesToRetry: [[500, 599]],
        noResponseRetries: 1,
      },
    });
  }

  async readTab(tab: string): Promise<string[][]> {
    const values = await this.values(tab, 'FORMATTED_VALUE');
    return values.map((row) => row.map((v) => (v === null || v === undefined ? '' : String(v))));
  }

  async readValues(tab: string): Promise<SheetValue[][]> {
    const values = await this.values(tab, 'UNFORMATTED_VALUE');
    return values.map((row) => row.map((v) => (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : '')));
  }

  async writeCells(writes: SheetWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const data = writes.map((w) =>
      isBlock(w)
        ? { range: blockAt(w.tab, w.row, w.column, w.rows.length, Math.max(1, ...w.rows.map((r) => r.length))), values: w.rows }
        : { range: cellRange(w.tab, w.row, w.column), values: [[w.value]] },
    );
    const tabs = [...new Set(writes.map((w) => w.tab))];
    await this.call({ operation: `writing ${writes.length} cell(s) to ${tabs.join(', ')}`, tabs }, async () => {
      // RAW: text from outside (a symbol, a broker's reason) must never become a formula.
      await this.api.spreadsheets.values.batchUpdate({
        spreadsheetId: this.spreadsheetId,
        requestBody: { valueInputOption: 'RAW', data },
      });
    });
  }

  async replaceTab(tab: string, rows: string[][]): Promise<void> {
    const run = this.replacing.then(() => this.replaceNow(tab, rows));
    this.replacing = run.catch(() => undefined);
    return run;
  }

  private async replaceNow(tab: string, rows: string[][]): Promise<void> {
    const old = await this.extent(tab);
    const height = Math.max(rows.length, old.rows);
    const width = Math.max(0, ...rows.map((r) => r.length), old.columns);
    if (height === 0 || width === 0) return;
    // One rectangle covering both the new content and the old extent, padded
    // with "" (which empties a cell), in a single write: no reader can see a
    // cleared-but-not-yet-written tab, and stale rows and cells are blanked.
    const grid = Array.from({ length: height }, (_, i) => Array.from({ length: width }, (_, j) => rows[i]?.[j] ?? ''));
    await this.call({ operation: `rewriting tab "${tab}"`, tabs: [tab] }, async () => {
      const range = blockRange(tab, height, width);
      await this.api.spreadsheets.values.update({
        spreadsheetId: this.spreadsheetId,
        range,
        valueInputOption: 'RAW',
        requestBody: { range, majorDimension: 'ROWS', values: grid },
      });
    });
  }

  /**
   * Every value in the tab, as displayed (FORMATTED_VALUE) or typed
   * (UNFORMATTED_VALUE, with dates still as text). The range is the bare tab
   * name, not `A1:Z`: a whole-tab range never exceeds the grid (a trader may
   * delete unused columns) and it also sees cells beyond Z that replaceTab must blank.
   */
  private async values(tab: string, render: 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' = 'FORMATTED_VALUE'): Promise<unknown[][]> {
    return this.call({ operation: `reading tab "${tab}"`, tabs: [tab] }, async () => {
      const res = await this.api.spreadsheets.values.get({
        spreadsheetId: this.spreadsheetId,
        range: quoteTab(tab),
        valueRenderOption: render,
        ...(render === 'UNFORMATTED_VALUE' ? { dateTimeRenderOption: 'FORMATTED_STRING' } : {}),
        majorDimension: 'ROWS',
      });
      return res.data.values ?? [];
    });
  }

  /** Rows and columns holding data now; creates the tab when missing. */
  private async extent(tab: string): Promise<{ rows: number; columns: number }> {
    try {
      const values = await this.values(tab);
      return { rows: values.length, columns: Math.max(0, ...values.map((r) => r.length)) };
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      await this.addTab(tab);
      return { rows: 0, columns: 0 };
    }
  }

  /** The same sheet's structure, for `npm run sheet:init`. */
  layout(): SheetLayout {
    return new GoogleSheetLayout(this.api, this.spreadsheetId, (ctx, fn) => this.call(ctx, fn));
  }

  async ensureTab(tab: string): Promise<boolean> {
    return this.addTab(tab);
  }

  private async addTab(tab: string): Promise<boolean> {
    // Only reached once per tab's life, so the read this costs is no burden on the quota.
    const titles = await this.call({ operation: 'listing tabs' }, async () => {
      const res = await this.api.spreadsheets.get({ spreadsheetId: this.spreadsheetId, fields: 'sheets.properties' });
      return (res.data.sheets ?? []).map((s) => s.properties?.title ?? '');
    });
    if (titles.some((t) => t.toLowerCase() === tab.toLowerCase())) return false;
    try {
      await this.call({ operation: `creating tab "${tab}"` }, async () => {
        await this.api.spreadsheets.batchUpdate({
          spreadsheetId: this.spreadsheetId,
          requestBody: { requests: [{ addSheet: { properties: { title: tab } } }] },
        });
      });
    } catch (err) {
      // Someone (another process, the trader) created it in between: that is what we wanted.
      if (!(err instanceof RejectedError && err.status === 400 && /already exists/i.test(err.message))) throw err;
      return false;
    }
    return true;
  }

  private async call<T>(ctx: Omit<ErrorContext, 'spreadsheetId' | 'clientEmail' | 'credentialsFile'>, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw translateSheetsError(err, {
        ...ctx,
        spreadsheetId: this.spreadsheetId,
        clientEmail: this.clientEmail,
        credentialsFile: this.credentialsFile,
      });
    }
  }
}
