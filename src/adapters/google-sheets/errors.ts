/**
 * Turns whatever the googleapis client throws into our few domain errors,
 * with messages that tell the trader what to fix. Never includes the private
 * key or the request's headers.
 */
import { NotFoundError, RejectedError, TemporaryError } from '../../domain/errors';
import { quoteTab } from './a1';
import { ForeignHostError } from './guarded-fetch';

/** What the message needs to name. */
export interface ErrorContext {
  spreadsheetId: string;
  clientEmail: string;
  credentialsFile: string;
  /** What was being done, e.g. `reading tab "Config"`. */
  operation: string;
  /** The tabs named in the request, when a missing tab means NotFoundError. */
  tabs?: string[];
}

interface ResponseLike {
  status: number;
  data?: unknown;
  headers?: { get?: (name: string) => string | null } | Record<string, string>;
}

function responseOf(err: unknown): ResponseLike | undefined {
  const res = (err as { response?: ResponseLike } | undefined)?.response;
  return res && typeof res.status === 'number' ? res : undefined;
}

function googleMessage(res: ResponseLike): string {
  const error = (res.data as { error?: { message?: unknown } } | undefined)?.error;
  if (typeof error?.message === 'string') return error.message;
  return typeof res.data === 'string' && res.data.length < 300 ? res.data : `HTTP ${res.status}`;
}

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(res: ResponseLike, now = Date.now()): number | undefined {
  const h = res.headers;
  const raw = typeof h?.get === 'function' ? h.get('retry-after') : (h as Record<string, string> | undefined)?.['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** The domain error for `err`; unknown non-HTTP errors (our own bugs) come back unchanged. */
export function translateSheetsError(err: unknown, ctx: ErrorContext): Error {
  const foreign = causeChain(err).find((e) => e instanceof ForeignHostError);
  if (foreign) return foreign as ForeignHostError;
  if (err instanceof TemporaryError || err instanceof RejectedError || err instanceof NotFoundError) return err;

  const res = responseOf(err);
  const options = { cause: err };
  if (!res) {
    // No answer at all: refused connection, DNS, reset, timeout. Worth retrying.
    if ((err as { config?: unknown })?.config === undefined) return err instanceof Error ? err : new Error(String(err));
    const code = (err as { code?: unknown }).code;
    return new TemporaryError(
      `Google Sheets could not be reached while ${ctx.operation} (${String(code ?? (err as Error).message)}).`,
      undefined,
      options,
    );
  }

  const { status } = res;
  const said = googleMessage(res);
  if (status === 429 || status === 408 || status >= 500) {
    const what = status === 429 ? 'quota exceeded (60 requests a minute per user)' : `unavailable (HTTP ${status})`;
    return new TemporaryError(`Google Sheets ${what} while ${ctx.operation}: ${said}`, retryAfterMs(res), options);
  }
  if (status === 400 && /Unable to parse range/i.test(said) && ctx.tabs?.length) {
    // Google names the range it could not parse; find our tab in it.
    const tab = ctx.tabs.find((t) => said.includes(quoteTab(t))) ?? ctx.tabs.join('", "');
    return new NotFoundError(`Tab "${tab}" does not exist in spreadsheet ${ctx.spreadsheetId}.`);
  }
  if (status === 401) {
    return new RejectedError(
      `Google refused the service-account key in ${ctx.credentialsFile} (HTTP 401: ${said}). ` +
        `The key may be deleted or revoked: create a new key for ${ctx.clientEmail} and point GOOGLE_APPLICATION_CREDENTIALS at it.`,
      status,
      options,
    );
  }
  if (status === 403) return new RejectedError(forbidden(said, ctx), status, options);
  if (status === 404) {
    return new RejectedError(
      `Spreadsheet ${ctx.spreadsheetId} was not found (HTTP 404). ` +
        `Check GOOGLE_SHEET_ID: it is the long id in the sheet's URL, between /d/ and /edit.`,
      status,
      options,
    );
  }
  return new RejectedError(`Google Sheets refused ${ctx.operation} (HTTP ${status}): ${said}`, status, options);
}

function forbidden(said: string, ctx: ErrorContext): string {
  if (/has not been used|is disabled|SERVICE_DISABLED/i.test(said)) {
    return (
      `The Google Sheets API is not enabled for the service account's project (HTTP 403): ${said} ` +
      `Enable it in Google Cloud Console → APIs & Services.`
    );
  }
  if (/insufficient authentication scopes/i.test(said)) {
    return `The service account ${ctx.clientEmail} was not granted the spreadsheets scope (HTTP 403): ${said}`;
  }
  return (
    `No access to spreadsheet ${ctx.spreadsheetId} (HTTP 403: ${said}). ` +
    `Share the sheet with the service account ${ctx.clientEmail} as an Editor (Share button in Google Sheets).`
  );
}
