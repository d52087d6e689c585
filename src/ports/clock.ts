/** Time, injectable so tests can control it. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}
