/**
 * The real server against the fakes, for the door and brake tests. Unlike
 * the stack's default its logger masks nothing, so a test can prove that no
 * secret ever reaches a log line; and its clock can be moved (the loss
 * breaker's next session). Requests can be sent from this machine's
 * non-loopback address, so the allowlist meets a real stranger.
 */
import { networkInterfaces } from 'node:os';
import { systemClock } from '../../src/shared/clock';
import type { Clock } from '../../src/ports';
import type { Env } from '../../src/settings';
import type { FakeAlpacaOptions } from '../fakes/fake-alpaca';
import { API_TOKEN, SECRET, startStack, type Stack } from './stack';

export { API_TOKEN, SECRET };
export type { Call } from './server-call';

/** A clock running with real time plus an offset the test can move. */
export function shiftedClock(): Clock & { shift(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), sleep: systemClock.sleep, shift: (ms) => void (offset += ms) };
}

/** This machine's first non-loopback IPv4 address, if it has one: a caller that is not loopback. */
export function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

/** A running server with its fakes, unmasked logs and request helpers. */
export type GuardedStack = Stack;

/** Starts the fakes and the real server with `env` on top of a complete Alpaca + Google setup: logs unmasked, no Sheets quota. */
export function startGuarded(o: { env?: Env; config?: string[][]; clock?: Clock; alpaca?: FakeAlpacaOptions } = {}): Promise<GuardedStack> {
  return startStack({ ...o, sheets: { quota: false }, unmasked: true });
}
