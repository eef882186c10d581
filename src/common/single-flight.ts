/**
 * Work shared by the callers that ask for the same key while it is under way: the first caller's `run`
 * starts it, the others get the same promise (its value or its failure), and the key is free again once it
 * settles. Nothing is remembered afterwards; a key must name everything the result depends on.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const pending = this.running.get(key);
    if (pending) return pending;
    const started = work().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  /** Keys under way (for tests and metrics). */
  get size(): number {
    return this.running.size;
  }
}
