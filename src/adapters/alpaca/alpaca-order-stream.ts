/**
 * Order events from Alpaca's trading stream (`trade_updates`), through the
 * SDK's TradingStream, as the OrderEventSource port. The SDK connects,
 * authenticates, listens, decodes binary frames, pings and reconnects with
 * jittered backoff; this class turns its life cycle into 'stream' and
 * 'polling' for the app, with the moment from which events may have been
 * missed, maps each update's order to the domain, and never lets a bad frame
 * or a throwing handler stop the stream.
 */
import { streaming } from '@alpacahq/alpaca-trade-api';
import type { Logger, OrderEventHandlers, OrderEventSource, OrderEventState } from '../../ports';
import type { AlpacaBrokerOptions } from './alpaca-client';
import { toOrder } from './alpaca-mapping';

/** The same keys and hosts as the broker's, the logger, and how patient to be (defaults in brackets). */
export interface AlpacaOrderStreamOptions extends Pick<AlpacaBrokerOptions, 'keyId' | 'secretKey' | 'paper' | 'baseUrl'> {
  logger: Logger;
  /** First reconnect delay, doubling per failed attempt up to `maxReconnectMs`, ±20% jitter [1 s]. */
  initialReconnectMs?: number;
  /** Longest wait between reconnect attempts [30 s]. */
  maxReconnectMs?: number;
  /** 'polling' is reported if no subscription came this long after `start` [5 s]. */
  subscribeTimeoutMs?: number;
  /** After Alpaca refused the keys (the SDK then stops), the wait before a fresh attempt [5 min]. */
  authRetryMs?: number;
  /** Taken off the moment the stream went down to make `since`: a dead socket is noticed only by ping, and clocks differ [20 s]. */
  catchUpMarginMs?: number;
  /** Keepalive ping; a socket that misses the pong for 5 s more is dropped [10 s, the SDK's]. */
  pingIntervalMs?: number;
  /** The time [the system clock]. */
  now?: () => Date;
}

/** The SDK's own error word for refused keys (`failAuthentication`). */
const AUTH_FAILED = 'auth failed';

/** The stream's URL: unset (the SDK's paper or live host) unless a base URL is set, then that with ws(s): and /stream. */
export function orderStreamUrl(baseUrl: string | undefined): string | undefined {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '').replace(/^http/i, 'ws')}/stream` : undefined;
}

/** Alpaca's trade_updates as the app's order event source. */
export class AlpacaOrderStream implements OrderEventSource {
  private current: OrderEventState = 'polling';
  private reported?: OrderEventState;
  private handlers?: OrderEventHandlers;
  private stream?: streaming.TradingStream;
  private stopped = false;
  private authRefused = false;
  /** From when events may have been missed: start-up, then each time a subscription ends. */
  private downSince = new Date(0);
  /** The SDK's latest error since the last subscription: why the stream is down. */
  private lastError?: string;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: Logger;
  private readonly now: () => Date;

  constructor(private readonly options: AlpacaOrderStreamOptions) {
    this.log = options.logger;
    this.now = options.now ?? (() => new Date());
  }

  get state(): OrderEventState {
    return this.current;
  }

  start(handlers: OrderEventHandlers): void {
    if (this.handlers) throw new Error('an order event source starts once');
    this.handlers = handlers;
    this.downSince = this.now();
    this.after(this.options.subscribeTimeoutMs ?? 5000, () => {
      if (this.current !== 'stream') this.toPolling(`not subscribed yet${this.lastError ? ` (${this.lastError})` : ''}`);
    });
    this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.close();
    this.current = 'polling';
  }

  /** A fresh SDK stream; the SDK reconnects it forever, except after refused keys. */
  private open(): void {
    const o = this.options;
    const s = new streaming.TradingStream({
      credentials: { keyId: o.keyId, secret: o.secretKey },
      paper: o.paper,
      url: orderStreamUrl(o.baseUrl),
      maxReconnectAttempts: streaming.UNLIMITED_RECONNECT_ATTEMPTS,
      initialReconnectMs: o.initialReconnectMs ?? 1000,
      maxReconnectMs: o.maxReconnectMs ?? 30_000,
      reconnectJitter: 0.2,
      pingIntervalMs: o.pingIntervalMs,
    });
    this.stream = s;
    this.authRefused = false;
    const mine =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A) => {
        if (this.stream === s && !this.stopped) fn(...args);
      };
    s.onTradeUpdate(mine((u: streaming.TradeUpdate) => this.deliver(u)));
    s.on(
      streaming.EVENT.SUBSCRIPTION,
      mine((streams: unknown) => this.listening(streams)),
    );
    s.onError(mine((message: string) => this.failed(message)));
    s.onDisconnect(mine(() => this.disconnected()));
    // Asked before connecting, the SDK sends one listen after every authentication, reconnects included.
    s.subscribeTradeUpdates();
    s.connect();
  }

  private close(): void {
    const s = this.stream;
    this.stream = undefined;
    s?.removeAllListeners();
    s?.disconnect();
  }

  private deliver(update: streaming.TradeUpdate): void {
    const event = String(update.event);
    try {
      this.handlers!.onOrder(toOrder(update.order), event);
    } catch (err) {
      this.log.error('order_events.update_failed', { orderEvent: event, orderId: update.order?.id, error: (err as Error).message });
    }
  }

  private listening(streams: unknown): void {
    if (!Array.isArray(streams) || !streams.includes('trade_updates')) {
      this.lastError = `Alpaca answered listen without trade_updates (${JSON.stringify(streams)})`;
      this.log.error('order_events.not_subscribed', { reason: this.lastError });
      return;
    }
    this.current = 'stream';
    this.lastError = undefined;
    if (this.reported === 'stream') return; // a repeated listening answer
    this.reported = 'stream';
    const since = new Date(this.downSince.getTime() - (this.options.catchUpMarginMs ?? 20_000));
    this.log.info('order_events.stream', { since: since.toISOString() });
    this.tell(() => this.handlers!.onState('stream', since));
  }

  private failed(message: string): void {
    this.lastError = message;
    if (message === AUTH_FAILED) this.authRefused = true;
    else if (message.startsWith('failed to decode') || message.startsWith('failed to process')) {
      this.log.warn('order_events.bad_frame', { reason: message });
    }
  }

  private disconnected(): void {
    if (this.current === 'stream') this.downSince = this.now();
    this.current = 'polling';
    let reason = this.lastError ?? 'the connection closed';
    if (this.authRefused) {
      // The SDK treats refused keys as final; the REST calls use the same keys, so a refusal may be
      // Alpaca's passing trouble: try again, slowly, with a fresh client.
      const retryInMs = this.options.authRetryMs ?? 300_000;
      reason = 'Alpaca refused the API keys on the trading stream';
      this.log.error('order_events.auth_refused', {
        reason: `${reason}; check APCA_API_KEY_ID and APCA_API_SECRET_KEY (paper keys work only with ALPACA_PAPER=true)`,
        retryInMs,
      });
      this.close();
      this.after(retryInMs, () => this.open());
    }
    this.toPolling(reason);
  }

  private toPolling(reason: string): void {
    this.current = 'polling';
    if (this.reported === 'polling') return;
    this.reported = 'polling';
    this.log.warn('order_events.polling', { reason, since: this.downSince.toISOString() });
    const since = this.downSince;
    this.tell(() => this.handlers!.onState('polling', since));
  }

  /** Calls a handler; its throw is logged, never let into the SDK's socket callbacks. */
  private tell(call: () => void): void {
    try {
      call();
    } catch (err) {
      this.log.error('order_events.handler_failed', { error: (err as Error).message });
    }
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
