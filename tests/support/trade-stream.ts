/** The SDK's trading stream pointed at a fake Alpaca, and a way to wait for what arrives over it. */
import { streaming } from '@alpacahq/alpaca-trade-api';
import type { FakeAlpaca } from '../fakes/fake-alpaca';

/** The fake's stream endpoint: its trading origin with ws:, path /stream. */
export function streamUrl(fake: FakeAlpaca): string {
  return `${fake.url.replace(/^http/, 'ws')}/stream`;
}

/** The SDK's TradingStream for `fake`: reconnects forever after 20–50 ms, no pings, unless overridden. */
export function sdkStreamFor(fake: FakeAlpaca, overrides: Partial<streaming.TradingStreamOptions> = {}): streaming.TradingStream {
  return new streaming.TradingStream({
    credentials: { keyId: fake.keyId, secret: fake.secretKey },
    url: streamUrl(fake),
    maxReconnectAttempts: streaming.UNLIMITED_RECONNECT_ATTEMPTS,
    initialReconnectMs: 20,
    maxReconnectMs: 50,
    pingIntervalMs: 0,
    ...overrides,
  });
}

/** Resolves once `condition()` holds, polling every 5 ms; rejects naming `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits `ms`, for tests that show something does *not* happen. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
