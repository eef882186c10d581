/**
 * Cooperative slicing of CPU-bound work (validating or writing a large envelope), so that one request
 * never holds the event loop for long and every other client keeps being served meanwhile.
 */

/**
 * Continues in the event loop's next check phase: I/O callbacks (and, unless called from one, timers)
 * run first.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Lets the event loop go round once, timers included: from an I/O callback, setImmediate runs before the
 * loop's next timers phase, so after long work done there, due timers would wait for the next slice too.
 */
export function yieldWholeTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * When the sliced work of the event loop's current phase began. Every WorkSlicer shares it: several
 * large requests sliced at once (an ingest, a status of ten thousand entries, its response being
 * written) each resume in the same check phase, and with a budget each the loop's turn would last their
 * sum. The first slicer to run in a phase marks its start and queues the immediate that clears the mark;
 * that immediate runs ahead of every continuation queued after it, so the next phase starts afresh.
 */
let phaseStarted: number | undefined;
const endPhase = () => {
  phaseStarted = undefined;
};
function markPhase(now: number): number {
  if (phaseStarted === undefined) {
    phaseStarted = now;
    setImmediate(endPhase);
  }
  return phaseStarted;
}

/**
 * Yields to the event loop once `budgetMs` of sliced work has run in the current phase of the loop, by
 * this slicer and every other one. Each slicer still does one unit of work per turn, so none starves.
 */
export class WorkSlicer {
  constructor(private readonly budgetMs = 5) {
    markPhase(performance.now());
  }

  /** Call between units of work; resolves at once while the budget lasts. */
  async step(): Promise<void> {
    const now = performance.now();
    if (now - markPhase(now) < this.budgetMs) return;
    await yieldToEventLoop();
    markPhase(performance.now());
  }
}

/** Array elements serialised between two checks of the slicer. */
const JSON_SLICE = 500;

/**
 * JSON.stringify of an object whose top-level arrays may be long (a status resource of a large envelope
 * lists every object), as parts of some tens of KB: those arrays are serialised a slice at a time,
 * yielding to the event loop as `WorkSlicer` does. The parts joined equal JSON.stringify(value); each
 * ends between two array elements (never inside a string), so each can be encoded on its own.
 */
export async function stringifyParts(value: Record<string, unknown>): Promise<string[]> {
  const slicer = new WorkSlicer();
  const parts: string[] = [];
  let pending = '{';
  let first = true;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    pending += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (!Array.isArray(v) || v.length <= JSON_SLICE) {
      pending += JSON.stringify(v);
      continue;
    }
    pending += '[';
    for (let i = 0; i < v.length; i += JSON_SLICE) {
      await slicer.step();
      parts.push(`${pending}${i ? ',' : ''}${JSON.stringify(v.slice(i, i + JSON_SLICE)).slice(1, -1)}`);
      pending = '';
    }
    pending += ']';
  }
  parts.push(`${pending}}`);
  return parts;
}
