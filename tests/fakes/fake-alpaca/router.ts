/** A tiny route table: Alpaca paths such as `/v2/orders:by_client_order_id` don't suit express patterns. */
import type { Host, Reply } from './types';

/** What a route handler gets. */
export interface RouteContext {
  /** Decoded capture groups of the path pattern. */
  params: string[];
  query: URLSearchParams;
  body: unknown;
}

/** One endpoint on one of Alpaca's two hosts. */
export interface Route {
  host: Host;
  method: string;
  path: RegExp;
  handle(ctx: RouteContext): Reply;
}

/** The route for a request, with its decoded path parameters; undefined when none matches. */
export function findRoute(routes: Route[], host: Host, method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.host !== host || route.method !== method) continue;
    const m = route.path.exec(path);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** A 200 with a JSON body. */
export function ok(body: unknown, status = 200): Reply {
  return { status, body };
}
