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

/** Array elements serialised between two checks of the slicer. */
const JSON_SLICE = 500;

/**
 * JSON.stringify of an object whose top-level arrays may be long (a status resource of a large envelope
 * lists every object), serialising those arrays a slice at a time and yielding to the event loop as
 * `WorkSlicer` does. The text equals JSON.stringify(value).
 */
export async function stringifySliced(value: Record<string, unknown>): Promise<string> {
  const slicer = new WorkSlicer();
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    if (!Array.isArray(v) || v.length <= JSON_SLICE) {
      parts.push(`${JSON.stringify(key)}:${JSON.stringify(v)}`);
      continue;
    }
    const items: string[] = [];
    for (let i = 0; i < v.length; i += JSON_SLICE) {
      await slicer.step();
      items.push(JSON.stringify(v.slice(i, i + JSON_SLICE)).slice(1, -1));
    }
    parts.push(`${JSON.stringify(key)}:[${items.join(',')}]`);
  }
  return `{${parts.join(',')}}`;
}
