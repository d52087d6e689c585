/**
 * The one place the server and the report CLIs wait and try again: bounded
 * retries of a call, bounded polling until something is true, and the backoff policies
 * both use. Every wait goes through the injected Clock, so tests and the
 * shutdown path see the same timing as production.
 */
import { TemporaryError } from '../domain/errors';
import type { Clock } from '../ports';

/** The wait before try (or read) number `attempt + 1`, given that `attempt` tries have been made (1-based). */
export type Backoff = (attempt: number) => number;

/** `baseMs`, then doubling up to `maxMs`; with `jitter`, each wait is drawn from [½, 1] of that, so many waiters don't retry in step. */
export function exponentialBackoff(baseMs: number, maxMs: number, jitter = false, random: () => number = Math.random): Backoff {
  return (attempt) => {
    // The exponent is capped so a long outage can't overflow to Infinity.
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 16));
    return jitter ? Math.round(ceiling * (0.5 + random() / 2)) : ceiling;
  };
}

/** `stepMs`, `2·stepMs`, `3·stepMs`…: for waits where doubling would overshoot what is being waited for. */
export function linearBackoff(stepMs: number): Backoff {
  return (attempt) => stepMs * attempt;
}

/** How `retry` decides. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Whether a failure is worth another try; anything else is thrown at once. */
  retryable: (err: unknown) => boolean;
  /** The wait before the next try; may look at the failure (a service's Retry-After). */
  delayMs: (attempt: number, err: unknown) => number;
}

/** Runs `attempt` until it resolves, a failure is not retryable, or `policy.attempts` tries fail (the last failure is thrown). */
export async function retry<T>(clock: Clock, policy: RetryPolicy, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!policy.retryable(err) || n >= policy.attempts) throw err;
      const wait = policy.delayMs(n, err);
      if (wait > 0) await clock.sleep(wait);
    }
  }
}

const READ_ATTEMPTS = 3;
const READ_STEP = linearBackoff(200);
/** A Retry-After longer than this is not waited out inside a signal: the call fails and its caller decides. */
const MAX_RETRY_AFTER_MS = 3000;

/** Retries a call on TemporaryError a few times with a short backoff, honouring a short Retry-After. */
export function withRetry<T>(clock: Clock, read: () => Promise<T>, attempts = READ_ATTEMPTS): Promise<T> {
  return retry(
    clock,
    {
      attempts,
      retryable: (err) => err instanceof TemporaryError,
      delayMs: (n, err) => {
        const asked = (err as TemporaryError).retryAfterMs;
        return asked && asked < MAX_RETRY_AFTER_MS ? asked : READ_STEP(n);
      },
    },
    () => read(),
  );
}

/** Bounds for `pollUntil`: a deadline (epoch ms), a number of further reads, or both. */
export interface PollLimits<T> {
  /** The pause after read number `n` (the first value counts as read 1), which may depend on what it read. */
  pauseMs: (n: number, last: T) => number;
  /** No read starts after this instant (ms since the epoch); the last pause is cut short to meet it. */
  deadline?: number;
  /** At most this many reads after the first value. */
  reads?: number;
  /** Checked after each pause: when it says so, polling ends without reading again. */
  stopped?: () => boolean;
}

/**
 * Starting from `first`, pauses and reads again until `done` holds or a limit
 * is reached; returns the last value seen (check `done` on it to tell which).
 * A read that throws ends the polling with that error.
 */
export async function pollUntil<T>(
  clock: Clock,
  first: T,
  read: (last: T) => Promise<T>,
  done: (value: T) => boolean,
  limits: PollLimits<T>,
): Promise<T> {
  let current = first;
  for (let n = 1; !done(current); n++) {
    if (limits.reads !== undefined && n > limits.reads) break;
    let pause = limits.pauseMs(n, current);
    if (limits.deadline !== undefined) {
      const left = limits.deadline - clock.now().getTime();
      if (left <= 0) break;
      pause = Math.min(pause, left);
    }
    if (pause > 0) await clock.sleep(pause);
    if (limits.stopped?.()) break;
    current = await read(current);
  }
  return current;
}
