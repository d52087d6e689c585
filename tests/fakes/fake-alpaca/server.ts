/**
 * The HTTP side of the fake: two listeners on 127.0.0.1 (the trading host and
 * the data host, as Alpaca has), request logging, key checks, latency and
 * fault injection, then the route table. Routes are pure functions returning
 * a Reply, so "apply the change but fail the answer" is easy to model.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { readBody } from '../read-body';
import type { Book } from './book';
import { settle } from './fill-engine';
import { findRoute, type Route } from './router';
import type { FaultSpec, Host, Reply, RequestRecord } from './types';

/** A fault in force, with how many more requests it will affect. */
interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  hits: number;
}

/** Handle returned by `inject`: how often it fired, and a way to withdraw it. */
export interface FaultHandle {
  readonly hits: number;
  remove(): void;
}

/** Settings the server reads on every request (mutable by the control API). */
export interface ServerSettings {
  keyId: string;
  secretKey: string;
  latencyMs: number;
  /** Requests a minute per host before 429, as Alpaca allows a key (200); false = unlimited. */
  rateLimitPerMinute: number | false;
}

const DEFAULT_MESSAGES: Record<number, [number, string]> = {
  400: [40010000, 'bad request'],
  401: [40110000, 'request is not authorized'],
  403: [40310000, 'forbidden'],
  404: [40410000, 'not found'],
  422: [42210000, 'unprocessable entity'],
  429: [42910000, 'rate limit exceeded'],
  500: [50010000, 'internal server error'],
  502: [50210000, 'bad gateway'],
  503: [50310000, 'service unavailable'],
  504: [50410000, 'gateway timeout'],
};

/** What the stream endpoint adds to the trading host (see stream.ts). */
export interface ServerHooks {
  /** Handles an HTTP upgrade on the trading host. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Runs after each request's route has changed the book (before its answer is sent). */
  afterRoute?(): void;
}

/** The running listeners, their logs and the fault table. */
export class FakeServer {
  readonly requests: RequestRecord[] = [];
  readonly hooks: ServerHooks = {};
  private faults: ActiveFault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly servers: Record<Host, Server>;
  private closed = false;
  /** Arrival times (ms) of the last minute's authorised requests, per host. */
  private readonly window: Record<Host, number[]> = { trading: [], data: [] };

  constructor(
    private book: Book,
    private routes: Route[],
    readonly settings: ServerSettings,
  ) {
    this.servers = { trading: this.listener('trading'), data: this.listener('data') };
  }

  /** Serves a fresh book (after `reset`), forgetting requests and faults. */
  use(book: Book, routes: Route[]): void {
    this.book = book;
    this.routes = routes;
    this.requests.length = 0;
    this.faults = [];
  }

  /** Starts both listeners on ephemeral ports; resolves to their base URLs. */
  async listen(): Promise<{ url: string; dataUrl: string }> {
    const start = (s: Server) =>
      new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
    return { url: await start(this.servers.trading), dataUrl: await start(this.servers.data) };
  }

  /** Adds a fault; the first matching fault with hits left applies to a request. */
  inject(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { spec, remaining: spec.times ?? 1, hits: 0 };
    this.faults.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      remove: () => {
        this.faults = this.faults.filter((f) => f !== fault);
      },
    };
  }

  /** Withdraws every fault. */
  clearFaults(): void {
    this.faults = [];
  }

  /** Stops both listeners, dropping open connections and pending delays. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(
      Object.values(this.servers).map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }

  private listener(host: Host): Server {
    const server = createServer((req, res) => {
      this.handle(host, req, res).catch((err: unknown) => {
        if (!res.headersSent) this.send(res, { status: 500, body: { code: 50010000, message: String(err) } });
      });
    });
    // Alpaca's edge keeps idle connections for about a minute. Node's 5 s default closes an idle
    // socket just as a client reuses it, an ECONNRESET the real service does not cause.
    server.keepAliveTimeout = 60_000;
    if (host === 'trading') {
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (this.hooks.upgrade) this.hooks.upgrade(req, socket, head);
        else socket.destroy();
      });
    }
    return server;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async handle(host: Host, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    this.requests.push({
      host,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      time: new Date(),
    });
    if (this.settings.latencyMs > 0) await this.sleep(this.settings.latencyMs);
    settle(this.book);
    // Alpaca's crypto market data needs no keys (the SDK sends none); wrong keys are still refused.
    const keyless = host === 'data' && url.pathname.startsWith('/v1beta3/crypto/') && req.headers['apca-api-key-id'] === undefined;
    if (
      !keyless &&
      (req.headers['apca-api-key-id'] !== this.settings.keyId || req.headers['apca-api-secret-key'] !== this.settings.secretKey)
    ) {
      return this.send(res, errorReply(401));
    }
    const limited = this.overRateLimit(host);
    if (limited) return this.send(res, { ...errorReply(429), headers: limited });
    const fault = this.takeFault(host, method, url.pathname, body);
    if (fault?.delayMs) await this.sleep(fault.delayMs);
    if (this.closed) return;
    const failsAnswer = fault && (fault.status !== undefined || fault.hangUp || fault.hang || fault.afterApplying);
    const reply = !failsAnswer || fault.afterApplying ? this.route(host, method, url, body) : undefined;
    if (!failsAnswer) return this.send(res, reply!);
    if (fault.hangUp) return void req.socket.destroy();
    if (fault.hang) return; // never answered; the client's timeout (or close()) ends it
    const status = fault.status ?? 500;
    this.send(res, { status, body: fault.body ?? errorReply(status).body, headers: fault.headers });
  }

  /** Counts the request against its host's minute; the 429 headers when over Alpaca's limit. */
  private overRateLimit(host: Host): Record<string, string> | undefined {
    const limit = this.settings.rateLimitPerMinute;
    if (limit === false) return undefined;
    const now = Date.now();
    const recent = this.window[host].filter((t) => t > now - 60_000);
    this.window[host] = recent;
    if (recent.length >= limit) {
      return {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Math.ceil((recent[0] + 60_000) / 1000)),
      };
    }
    recent.push(now);
    return undefined;
  }

  private takeFault(host: Host, method: string, path: string, body: unknown): FaultSpec | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.spec.host || f.spec.host === host) &&
        (!f.spec.method || f.spec.method.toUpperCase() === method) &&
        f.spec.path.test(path) &&
        (!f.spec.when || f.spec.when(body)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    return fault.spec;
  }

  private route(host: Host, method: string, url: URL, body: unknown): Reply {
    const found = findRoute(this.routes, host, method, url.pathname);
    if (!found) return { status: 404, body: { code: 40410000, message: `no route for ${method} ${url.pathname} on the ${host} host` } };
    const reply = found.route.handle({ params: found.params, query: url.searchParams, body });
    this.hooks.afterRoute?.();
    return reply;
  }

  private send(res: ServerResponse, reply: Reply): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { 'X-Request-ID': `fake-${this.requests.length}`, ...reply.headers };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(reply.body));
  }
}

/** Alpaca's usual `{code, message}` body for a status. */
function errorReply(status: number): Reply {
  const [code, message] = DEFAULT_MESSAGES[status] ?? [status * 100000, `error ${status}`];
  return { status, body: { code, message } };
}
