/**
 * One queue per symbol: work for a symbol runs strictly one after another, in
 * the order it was queued, while different symbols run in parallel. Alpaca
 * holds one position per symbol, shared by all its timeframe rows, so this is
 * what keeps two signals from planning against the same stale position.
 */
export class SymbolLocks {
  private tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier task for `symbol` has settled; resolves with its result. */
  run<T>(symbol: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(symbol) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(symbol, tail);
    void tail.then(() => {
      if (this.tails.get(symbol) === tail) this.tails.delete(symbol);
    });
    return result;
  }

  /** How many symbols have work queued or running. */
  get busy(): number {
    return this.tails.size;
  }
}
