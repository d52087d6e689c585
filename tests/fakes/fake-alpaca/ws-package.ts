/**
 * The few members of the `ws` package the fake's stream endpoint uses, typed
 * here because @types/ws is not installed (the SDK brings `ws` itself, without
 * types). Loaded with `require` so the compiler never looks for the package's
 * declarations; the shapes below are `ws` 8's documented API.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** One server-side socket (`ws`'s WebSocket). */
export interface ServerSocket {
  /** 1 while open (the WebSocket standard's OPEN). */
  readonly readyState: number;
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  /** A clean close: a close frame, after what was sent is flushed. */
  close(code?: number, reason?: string): void;
  /** An abrupt end: the TCP socket is destroyed, no close frame. */
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

/** A `ws` server in `noServer` mode: the fake's HTTP server hands it upgrades. */
export interface UpgradeServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (socket: ServerSocket) => void): void;
  close(): void;
}

/** The WebSocket standard's OPEN ready state. */
export const OPEN = 1;

/** A client socket, for tests that speak the protocol by hand. */
export interface ClientSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  on(event: 'open', listener: () => void): this;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

/** The parts of the package's exports used here. */
interface WsExports {
  WebSocketServer: new (options: { noServer: true; perMessageDeflate: false }) => UpgradeServer;
  WebSocket: new (url: string) => ClientSocket;
}

const ws = (): WsExports => require('ws') as WsExports;

/** A `ws` WebSocketServer that takes upgrades from an existing HTTP server. */
export function createUpgradeServer(): UpgradeServer {
  return new (ws().WebSocketServer)({ noServer: true, perMessageDeflate: false });
}

/** A plain `ws` client connecting to `url`. */
export function connectClient(url: string): ClientSocket {
  return new (ws().WebSocket)(url);
}
