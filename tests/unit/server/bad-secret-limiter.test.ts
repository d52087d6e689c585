import { BAD_SECRET_WINDOW_MS, BadSecretLimiter } from '../../../src/http/security/bad-secret-limiter';
import { memoryLogger } from '../../../src/logger';

function manualClock(start = Date.parse('2025-10-06T14:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), sleep: async () => undefined, advance: (ms: number) => (now += ms) };
}

describe('BadSecretLimiter', () => {
  it('when an address sends too many wrong secrets, then it is locked out for the rest of the window, others are not', () => {
    const clock = manualClock();
    const logger = memoryLogger();
    const limiter = new BadSecretLimiter(3, clock, logger);
    limiter.fail('203.0.113.9');
    limiter.fail('::ffff:203.0.113.9');
    expect(limiter.lockedFor('203.0.113.9')).toBe(0);
    clock.advance(60_000);
    limiter.fail('203.0.113.9');
    expect(limiter.lockedFor('203.0.113.9')).toBe(BAD_SECRET_WINDOW_MS - 60_000);
    expect(limiter.lockedFor('198.51.100.1')).toBe(0);
    expect(logger.lines.some((l) => l.includes('http.locked_out'))).toBe(true);
    clock.advance(BAD_SECRET_WINDOW_MS);
    expect(limiter.lockedFor('203.0.113.9')).toBe(0);
  });

  it('when failures are spread wider than the window, then they never add up to a lock-out', () => {
    const clock = manualClock();
    const limiter = new BadSecretLimiter(2, clock, memoryLogger());
    for (let i = 0; i < 5; i++) {
      limiter.fail('203.0.113.9');
      clock.advance(BAD_SECRET_WINDOW_MS);
    }
    expect(limiter.lockedFor('203.0.113.9')).toBe(0);
  });

  it('when a flood comes from very many addresses, then memory stays bounded and the newest are still tracked', () => {
    const limiter = new BadSecretLimiter(1, manualClock(), memoryLogger());
    for (let i = 0; i < 12_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`);
    expect((limiter as unknown as { failures: Map<string, unknown> }).failures.size).toBeLessThanOrEqual(10_000);
    expect(limiter.lockedFor('10.0.46.223')).toBeGreaterThan(0);
  });
});
