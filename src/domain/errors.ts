/**
 * The few error kinds the use cases act on. Adapters translate every vendor
 * error into one of these at their boundary, so nothing above them branches on
 * HTTP codes or SDK classes.
 */

/** What an Error takes after its message: the fault underneath, if any. */
type Cause = { cause?: unknown };

/** An Error class named `name` whose constructor keeps the optional number after the message as the property `key`. */
function errorWithNumber<K extends string>(name: string, key: K) {
  return class extends Error {
    override name = name;
    constructor(message: string, value?: number, options?: Cause) {
      super(message, options);
      Object.assign(this, { [key]: value });
    }
  } as new (message: string, value?: number, options?: Cause) => Error & { readonly [P in K]?: number };
}

/** A passing fault (timeout, network, 429, 5xx): safe to retry with backoff; `retryAfterMs` is the wait the service asked for. */
export class TemporaryError extends errorWithNumber('TemporaryError', 'retryAfterMs') {}

/** The service refused for good (bad request, insufficient funds, not shortable); carries its reason and HTTP `status`. */
export class RejectedError extends errorWithNumber('RejectedError', 'status') {}

/**
 * The broker already holds an order with this client order id ("client_order_id
 * must be unique"): an earlier attempt got through, so look it up rather than resend.
 */
export class DuplicateOrderError extends RejectedError {
  override name = 'DuplicateOrderError';
}

/**
 * The broker refused because an asset's facts changed (it is no longer
 * fractionable, shortable or tradable): cached facts about it must be read again.
 */
export class AssetChangedError extends RejectedError {
  override name = 'AssetChangedError';
}

/** The thing asked for does not exist (an unknown order, no such tab). */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** A setting is missing or wrong; fatal at start-up, with the fix in the message. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** A short, log-safe description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
