/**
 * Cooperative slicing of CPU-bound work (validating or writing a large envelope), so that one request
 * never holds the event loop for long and every other client keeps being served meanwhile.
 */

/** Lets timers and I/O callbacks run before the caller continues. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Yields to the event loop once `budgetMs` of work has run since the last yield. */
export class WorkSlicer {
  private since = performance.now();

  constructor(private readonly budgetMs = 5) {}

  /** Call between units of work; resolves at once while the budget lasts. */
  async step(): Promise<void> {
    if (performance.now() - this.since < this.budgetMs) return;
    await yieldToEventLoop();
    this.since = performance.now();
  }
}
