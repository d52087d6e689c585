import type { Clock } from '../ports';

/** The real clock. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What `work` resolves to, or `late()` if it takes longer than `ms`; a rejection passes through. Leaves no timer behind. */
export async function orAfter<T, L>(work: Promise<T>, ms: number, late: () => L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<L>((resolve) => (timer = setTimeout(() => resolve(late()), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `work`, but at most `ms`; true when the work finished in time. Leaves no timer behind. */
export function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  return orAfter(
    work.then(() => true),
    ms,
    () => false,
  );
}
