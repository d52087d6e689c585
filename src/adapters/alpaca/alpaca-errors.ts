/**
 * Turns the SDK's errors into the domain's few kinds at the adapter boundary.
 * It branches on `name` and `status`, never `instanceof`: the SDK ships more
 * than one bundle (main, rest, testing), each with its own copy of the classes.
 */
import { AssetChangedError, DuplicateOrderError, NotFoundError, RejectedError, TemporaryError } from '../../domain/errors';

/** Alpaca's refusals that mean an asset's facts changed, e.g. "asset AAPL is not fractionable". */
const ASSET_CHANGED = /\bis not (fractionable|shortable|tradable|easy to borrow)\b/i;

/** The SDK's HTTP error class names (`ApiError` and its status subclasses). */
const API_ERROR_NAMES = new Set(['ApiError', 'AuthError', 'PermissionError', 'NotFoundError', 'ValidationError', 'RateLimitError']);

/** Statuses that say "try again later" rather than "no". */
const TEMPORARY_STATUSES = new Set([408, 425, 429]);

/** What the SDK's ApiError carries that we act on. */
export interface AlpacaHttpError {
  status: number;
  code?: number | string;
  message: string;
  retryAfterMs?: number;
}

/** The HTTP facts of an SDK ApiError, or null for anything else. */
export function httpError(err: unknown): AlpacaHttpError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { name?: unknown; status?: unknown; code?: unknown; message?: unknown; retryAfterMs?: unknown; response?: unknown };
  if (typeof e.name !== 'string' || !API_ERROR_NAMES.has(e.name) || typeof e.status !== 'number' || !('response' in e)) return null;
  return {
    status: e.status,
    code: typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : '',
    retryAfterMs: typeof e.retryAfterMs === 'number' ? e.retryAfterMs : undefined,
  };
}

/** True when the SDK error is Alpaca's 404 (no position, no such order). */
export function isNotFound(err: unknown): boolean {
  return httpError(err)?.status === 404;
}

/** An error-shaped value; duck-typed because errors from another realm fail `instanceof Error`. */
type ErrorLike = Error & { cause?: { name?: string; message?: string; code?: string } };

function isErrorLike(err: unknown): err is ErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as Error).name === 'string' && typeof (err as Error).message === 'string';
}

/**
 * True when no HTTP answer came at all (network, hang-up, timeout). The SDK
 * wraps fetch's rejection in a FetchError, but only when `instanceof Error`
 * holds; across realms (under jest, for one) Node's bare
 * `TypeError: fetch failed` comes through instead, so both are recognised.
 */
function isTransportError(err: unknown): err is ErrorLike {
  if (!isErrorLike(err)) return false;
  return err.name === 'FetchError' || (err.name === 'TypeError' && err.message === 'fetch failed');
}

/** The innermost cause's message ("other side closed", "connect ECONNREFUSED …"), the most telling one. */
function rootMessage(err: ErrorLike): string {
  let e: { message?: string; cause?: unknown } = err;
  for (let i = 0; i < 5 && isErrorLike(e.cause); i++) e = e.cause;
  return e.message ?? err.message;
}

/**
 * The domain error for a failed Alpaca call. `action` names what was being
 * done, for the message (e.g. "submitting an order"). Errors that are not the
 * SDK's (our own ConfigurationError, programming errors) pass through.
 */
export function translateError(err: unknown, action: string): Error {
  if (isTransportError(err)) {
    const cause = err.cause;
    if (cause?.name === 'TimeoutError' || cause?.name === 'AbortError') {
      return new TemporaryError(`Alpaca did not answer in time while ${action}`, undefined, { cause: err });
    }
    return new TemporaryError(`Alpaca could not be reached while ${action}: ${rootMessage(err)}`, undefined, { cause: err });
  }
  const http = httpError(err);
  if (!http) return isErrorLike(err) ? err : new Error(String(err));
  const { status, message } = http;
  if (status === 401) {
    return new RejectedError(
      `Alpaca refused the API keys (401: ${message}) while ${action}. Check APCA_API_KEY_ID and APCA_API_SECRET_KEY, ` +
        `and ALPACA_PAPER: paper keys only work for paper trading, live keys only for live.`,
      401,
      { cause: err },
    );
  }
  if (TEMPORARY_STATUSES.has(status) || status >= 500) {
    return new TemporaryError(`Alpaca answered ${status} while ${action}: ${message}`, http.retryAfterMs, { cause: err });
  }
  if (status === 404) {
    const notFound = new NotFoundError(`Alpaca found nothing while ${action}: ${message}`);
    (notFound as Error).cause = err;
    return notFound;
  }
  // Alpaca's code for it is unconfirmed; its words are not.
  if (/client_order_id must be unique/i.test(message)) return new DuplicateOrderError(message, status, { cause: err });
  if (ASSET_CHANGED.test(message)) return new AssetChangedError(message, status, { cause: err });
  // 400/403/422 and any other 4xx: a final refusal, carrying Alpaca's own words
  // (the use case writes them into the sheet as the FAILED reason).
  return new RejectedError(message, status, { cause: err });
}
