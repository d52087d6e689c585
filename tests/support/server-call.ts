/** One HTTP request to the server under test, as a client would send it: the shared way the stacks reach the server. */

/** How a request is sent: method, body, headers, the API token, and the host to reach the server by. */
export interface Call {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Reach the server at this address instead of 127.0.0.1 (the source address follows). */
  via?: string;
}

/** What the server answered: status, headers, and the body parsed as JSON (its text when it is not JSON). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** Sends `call` to `path` on the server at `url` (GET, or POST when there is a body, unless `method` says otherwise). */
export async function callServer(url: string, path: string, call: Call = {}): Promise<Answer> {
  const base = call.via ? url.replace('127.0.0.1', call.via) : url;
  const headers: Record<string, string> = { ...(call.token ? { authorization: `Bearer ${call.token}` } : {}), ...call.headers };
  const res = await fetch(base + path, { method: call.method ?? (call.body === undefined ? 'GET' : 'POST'), headers, body: call.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}
