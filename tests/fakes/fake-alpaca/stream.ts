/**
 * Alpaca's trading stream on the fake's trading port: `GET /stream` upgraded
 * to a WebSocket, authenticated with the account's keys, then `listen` to
 * `trade_updates` for one frame per order event. While anybody listens the
 * fake settles orders on its own (every few milliseconds and after each
 * request), as Alpaca fills a market order without being asked; with no
 * listener nothing here runs, so the fake behaves as it always has.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Book } from './book';
import { settle } from './fill-engine';
import { authorizationFrame, errorFrame, type Frame, listeningFrame, readRequest, tradeUpdateFrame } from './stream-frames';
import type { OrderEvent, RequestRecord } from './types';
import { createUpgradeServer, OPEN, type ServerSocket } from './ws-package';

/** The stream's part of the fake's control API (see README.md). */
export interface StreamControls {
  /** How many connections listen to `trade_updates` now. */
  streamClients(): number;
  /** Ends every stream connection abruptly (no close frame), as a network drop does; clients reconnect. */
  dropStreamConnections(): void;
  /** false: upgrades to /stream are answered 503 and the socket closed, so connecting fails. */
  setStreamAvailable(available: boolean): void;
  /** true: every trade update is sent twice, as Alpaca sometimes does. */
  setStreamDuplicates(duplicates: boolean): void;
  /** Trade updates leave this many ms after the change. */
  setStreamDelay(ms: number): void;
  /** `binary` (default, as Alpaca's paper stream) or `text` WebSocket frames. */
  setStreamFrames(kind: 'binary' | 'text'): void;
  /** Sends `data` as it is (a malformed frame, say) to every listening connection. */
  sendStreamRaw(data: string): void;
}

/** One connection and how far it got in the protocol. */
interface Client {
  socket: ServerSocket;
  authorized: boolean;
  listening: boolean;
}

/** How often orders are settled while somebody listens. */
const TICK_MS = 10;

/** The /stream endpoint, its connections and its knobs. */
export class TradeUpdatesStream {
  private readonly wss = createUpgradeServer();
  private readonly clients = new Set<Client>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private ticker?: NodeJS.Timeout;
  private available = true;
  private duplicates = false;
  private delayMs = 0;
  private frames: 'binary' | 'text' = 'binary';

  constructor(
    private book: Book,
    private readonly keys: { keyId: string; secretKey: string },
    private readonly log: RequestRecord[],
  ) {
    this.use(book);
  }

  /** Reports the events of `book` from now on (after the fake's `reset`). */
  use(book: Book): void {
    this.book.onOrderEvent = undefined;
    this.book = book;
    book.onOrderEvent = (event) => this.publish(event);
  }

  /** Back to the defaults: available, single, undelayed, binary. Connections stay. */
  resetControls(): void {
    this.available = true;
    this.duplicates = false;
    this.delayMs = 0;
    this.frames = 'binary';
  }

  /** The controls handed out with the fake. */
  controls(): StreamControls {
    return {
      streamClients: () => this.listeners().length,
      dropStreamConnections: () => {
        for (const c of this.clients) c.socket.terminate();
        this.retick();
      },
      setStreamAvailable: (available) => void (this.available = available),
      setStreamDuplicates: (duplicates) => void (this.duplicates = duplicates),
      setStreamDelay: (ms) => void (this.delayMs = ms),
      setStreamFrames: (kind) => void (this.frames = kind),
      sendStreamRaw: (data) => this.listeners().forEach((c) => this.sendText(c, data)),
    };
  }

  /** The trading server's `upgrade` handler: only /stream, and only while available. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.log.push({
      host: 'trading',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      time: new Date(),
    });
    if (url.pathname !== '/stream') return refuse(socket, '404 Not Found');
    if (!this.available) return refuse(socket, '503 Service Unavailable');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** After each request: while somebody listens, orders move on at once, as Alpaca's would. */
  afterRequest(): void {
    if (this.listeners().length > 0) settle(this.book);
  }

  /** Drops every connection and stops the ticker and pending deliveries. */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    this.retick();
    this.book.onOrderEvent = undefined;
    this.wss.close();
  }

  private accept(socket: ServerSocket): void {
    const client: Client = { socket, authorized: false, listening: false };
    this.clients.add(client);
    socket.on('message', (data) => this.receive(client, data));
    socket.on('close', () => {
      this.clients.delete(client);
      this.retick();
    });
    socket.on('error', () => undefined); // a vanished client; its close follows
  }

  private receive(client: Client, data: Buffer): void {
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      return this.send(client, errorFrame('invalid syntax'));
    }
    const request = readRequest(message);
    if (request.kind === 'auth') {
      client.authorized = request.key === this.keys.keyId && request.secret === this.keys.secretKey;
      this.send(client, authorizationFrame(client.authorized, 'authenticate'));
      if (!client.authorized) client.socket.close();
    } else if (request.kind === 'listen') {
      if (!client.authorized) return this.send(client, authorizationFrame(false, 'listen'));
      const streams = request.streams.filter((s) => s === 'trade_updates');
      client.listening = streams.length > 0;
      this.send(client, listeningFrame(streams));
      this.retick();
    } else {
      this.send(client, errorFrame('invalid action'));
    }
  }

  private listeners(): Client[] {
    return [...this.clients].filter((c) => c.listening && c.socket.readyState === OPEN);
  }

  /** The ticker runs exactly while somebody listens. */
  private retick(): void {
    const wanted = this.listeners().length > 0;
    if (wanted && !this.ticker) {
      this.ticker = setInterval(() => settle(this.book), TICK_MS);
      this.ticker.unref();
    } else if (!wanted && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** Sends an event to those listening now; the frame is built at once, so it shows the order as it was then. */
  private publish(event: OrderEvent): void {
    const targets = this.listeners();
    if (targets.length === 0) return; // nobody listens: lost, as at Alpaca
    const frame = tradeUpdateFrame(this.book, event);
    const copies = this.duplicates ? 2 : 1;
    const deliver = () => {
      for (const c of targets) for (let i = 0; i < copies; i++) this.send(c, frame);
    };
    if (this.delayMs <= 0) return deliver();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      deliver();
    }, this.delayMs);
    this.timers.add(timer);
  }

  private send(client: Client, frame: Frame): void {
    this.sendText(client, JSON.stringify(frame));
  }

  private sendText(client: Client, text: string): void {
    if (client.socket.readyState !== OPEN) return;
    if (this.frames === 'binary') client.socket.send(Buffer.from(text, 'utf8'), { binary: true });
    else client.socket.send(text);
  }
}

/** Answers an upgrade with an HTTP error and closes the socket, so the client's connect fails. */
function refuse(socket: Duplex, status: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
