/**
 * A `fetch` that refuses any origin but one. Handed to the Google client so
 * that when `rootUrl` points at a proxy or a test server, nothing (a token
 * exchange, a metadata-server probe) can leak to another Google host.
 */
import { ConfigurationError } from '../../domain/errors';

/** Thrown before any connection is made to a host that is not allowed. */
export class ForeignHostError extends ConfigurationError {
  override name = 'ForeignHostError';
}

/** `fetch`, limited to URLs whose origin is `allowedOrigin`. */
export function fetchOnly(allowedOrigin: string, inner: typeof fetch = globalThis.fetch): typeof fetch {
  const allowed = new URL(allowedOrigin).origin;
  return (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const origin = new URL(href).origin;
    if (origin !== allowed) {
      return Promise.reject(new ForeignHostError(`Refused a request to ${origin}: the Google Sheets store may only call ${allowed}.`));
    }
    return inner(input, init);
  };
}
