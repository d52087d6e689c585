/** The app layer's one retry helper: bounded tries, bounded polling, and the backoff policies. */
import { RejectedError, TemporaryError } from '../../../src/domain/errors';
import { exponentialBackoff, linearBackoff, pollUntil, retry, withRetry } from '../../../src/shared/retry';
import type { Clock } from '../../../src/ports';

/** A clock whose sleeps return at once and move `now` forward, recording each wait. */
function recordingClock(start = 0): Clock & { waits: number[] } {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => new Date(now),
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** A call that fails with each of `failures` in turn, then answers `value`. */
function failing<T>(failures: unknown[], value: T): (() => Promise<T>) & { calls: number } {
  const fn = Object.assign(
    async () => {
      const err = failures[fn.calls++];
      if (err !== undefined) throw err;
      return value;
    },
    { calls: 0 },
  );
  return fn;
}

describe('backoff policies', () => {
  it('when failures repeat, then exponential waits double from the base and stop at the ceiling', () => {
    const b = exponentialBackoff(250, 2000);
    expect([1, 2, 3, 4, 5].map(b)).toEqual([250, 500, 1000, 2000, 2000]);
  });

  it('when a long outage runs to thousands of failures, then the wait stays at the ceiling, never Infinity', () => {
    expect(exponentialBackoff(1000, 60_000)(5000)).toBe(60_000);
  });

  it('when jitter is on, then each wait lies between half and all of the un-jittered wait', () => {
    expect(exponentialBackoff(1000, 60_000, true, () => 0)(3)).toBe(2000);
    expect(exponentialBackoff(1000, 60_000, true, () => 0.999999)(3)).toBe(4000);
    const waits = Array.from({ length: 200 }, () => exponentialBackoff(1000, 60_000, true)(3));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(4000);
    expect(new Set(waits).size).toBeGreaterThan(1);
  });

  it('when linear, then each wait is one step longer than the last', () => {
    expect([1, 2, 3].map(linearBackoff(150))).toEqual([150, 300, 450]);
  });
});

describe('retry', () => {
  const policy = { attempts: 3, retryable: (e: unknown) => e instanceof TemporaryError, delayMs: (n: number) => 10 * n };

  it('when every try fails, then it stops after the bounded number of tries and throws the last failure', async () => {
    const clock = recordingClock();
    const last = new TemporaryError('third');
    const call = failing([new TemporaryError('first'), new TemporaryError('second'), last], 'never');
    await expect(retry(clock, policy, call)).rejects.toBe(last);
    expect(call.calls).toBe(3);
    expect(clock.waits).toEqual([10, 20]);
  });

  it('when a failure is not retryable, then it is thrown at once without waiting', async () => {
    const clock = recordingClock();
    const refusal = new RejectedError('insufficient buying power');
    const call = failing([refusal], 'never');
    await expect(retry(clock, policy, call)).rejects.toBe(refusal);
    expect(call.calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('when a later try succeeds, then its value is returned', async () => {
    const clock = recordingClock();
    const call = failing([new TemporaryError('blip')], 'ok');
    await expect(retry(clock, policy, call)).resolves.toBe('ok');
    expect(call.calls).toBe(2);
  });
});

describe('withRetry', () => {
  it('when the service asks for a short Retry-After, then that is the wait; a long one is not waited out', async () => {
    const clock = recordingClock();
    const call = failing([new TemporaryError('429', 700), new TemporaryError('429', 60_000)], 'ok');
    await expect(withRetry(clock, call)).resolves.toBe('ok');
    expect(clock.waits).toEqual([700, 400]);
  });

  it('when the call keeps failing temporarily, then it gives up after three tries', async () => {
    const clock = recordingClock();
    const call = failing([new TemporaryError('a'), new TemporaryError('b'), new TemporaryError('c'), undefined], 'late');
    await expect(withRetry(clock, call)).rejects.toThrow('c');
    expect(call.calls).toBe(3);
  });
});

describe('pollUntil', () => {
  it('when the first value already holds, then it neither waits nor reads again', async () => {
    const clock = recordingClock();
    const read = jest.fn(async () => 1);
    await expect(pollUntil(clock, 0, read, (v) => v === 0, { pauseMs: () => 100, reads: 5 })).resolves.toBe(0);
    expect(read).not.toHaveBeenCalled();
    expect(clock.waits).toEqual([]);
  });

  it('when the condition never holds, then it stops after the bounded reads and returns the last value', async () => {
    const clock = recordingClock();
    let n = 0;
    const last = await pollUntil(
      clock,
      n,
      async () => ++n,
      () => false,
      { pauseMs: linearBackoff(10), reads: 3 },
    );
    expect(last).toBe(3);
    expect(clock.waits).toEqual([10, 20, 30]);
  });

  it('when the deadline comes, then the last pause is cut short to meet it and no read starts after it', async () => {
    const clock = recordingClock(1000);
    let reads = 0;
    await pollUntil(
      clock,
      'open',
      async () => (reads++, 'open'),
      (s) => s !== 'open',
      { pauseMs: () => 400, deadline: 2000 },
    );
    expect(clock.waits).toEqual([400, 400, 200]);
    expect(reads).toBe(3);
    expect(clock.now().getTime()).toBe(2000);
  });

  it('when the pause depends on what was read, then a zero pause reads again without sleeping', async () => {
    const clock = recordingClock();
    const results = ['failed', 'more', 'more', 'empty'];
    let i = 0;
    const last = await pollUntil(
      clock,
      results[i],
      async () => results[++i],
      (r) => r === 'empty',
      {
        pauseMs: (_, r) => (r === 'failed' ? 500 : 0),
        deadline: 10_000,
      },
    );
    expect(last).toBe('empty');
    expect(clock.waits).toEqual([500]);
  });

  it('when stopped says so after a pause, then polling ends without reading again', async () => {
    const clock = recordingClock();
    let reads = 0;
    let stop = false;
    const last = await pollUntil(
      clock,
      'open',
      async () => {
        reads++;
        stop = true; // shutdown begins while the first read is in flight
        return 'open';
      },
      (s) => s !== 'open',
      { pauseMs: () => 100, deadline: 10_000, stopped: () => stop },
    );
    expect(last).toBe('open');
    expect(reads).toBe(1);
    expect(clock.waits).toEqual([100, 100]);
  });

  it('when a read throws, then polling ends with that error', async () => {
    const clock = recordingClock();
    const boom = new RejectedError('gone');
    await expect(
      pollUntil(
        clock,
        0,
        async () => {
          throw boom;
        },
        () => false,
        { pauseMs: () => 1, reads: 5 },
      ),
    ).rejects.toBe(boom);
  });
});
