/**
 * One run at a time of a tab's job, with no call lost: a call while a run
 * is in flight joins it and asks for one more run right after, so every
 * caller's change is seen by a run that began after the call.
 */
export class SingleFlight {
  private running?: Promise<void>;
  private again = false;

  /** `job` must not throw; `more` is asked before each extra run (false ends them, e.g. once stopped). */
  constructor(
    private readonly job: () => Promise<void>,
    private readonly more: () => boolean = () => true,
  ) {}

  /** Starts a run, or joins the one in flight and asks for another after it; resolves when the runs are over. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.job();
      } while (this.again && this.more());
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Asks for one more run after the one in flight: what the job did needs another look. */
  runAgain(): void {
    this.again = true;
  }

  /** Resolves once the run in flight, if any, is over. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
