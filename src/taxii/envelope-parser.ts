import { WorkSlicer, yieldWholeTurn } from '../common/event-loop';
import { DomainError, InvalidInputError } from '../domain/errors';

export interface PostedObject {
  /** The object's JSON text exactly as it appeared in the request. */
  raw: string;
  /** The parsed object; only its `id`, `modified` and `created` where the caller asked for summaries. */
  value: unknown;
}

export interface SlicedParseOptions {
  /**
   * Told how many objects the envelope holds once they are found; when it answers true, each object is
   * still parsed (the body must be valid JSON) but only its id, modified and created are kept. An envelope
   * bound for the ingest queue needs no more, and ten thousand parsed objects kept alive until it is queued
   * made the garbage collector's pauses long.
   */
  summariesWhen?: (count: number) => boolean;
}

/**
 * Splits a TAXII envelope (or a STIX bundle, which has the same `objects` array) into its objects,
 * keeping each object's text exactly as posted so that it can be stored and served byte for byte.
 */
export function parseEnvelope(text: string, maxDepth = 64, maxObjects = Number.POSITIVE_INFINITY): PostedObject[] {
  return withRawText(text, parseObjects(text, maxObjects), maxDepth);
}

/** Bodies from this size on are parsed object by object (below it one JSON.parse costs well under 10 ms). */
const SLICED_FROM_CHARS = 256 * 1024;

/**
 * parseEnvelope for large bodies without one long JSON.parse: the scanner finds each object's text, each
 * is parsed on its own, and the event loop gets a turn every few milliseconds. The envelope around the
 * objects is parsed with an empty array in their place, so the whole body is checked as JSON exactly as
 * before. Malformed bodies are handed to parseEnvelope, which reports them as it always did.
 */
export async function parseEnvelopeSliced(text: string, maxDepth = 64, maxObjects = Number.POSITIVE_INFINITY, opts: SlicedParseOptions = {}): Promise<PostedObject[]> {
  if (text.length < SLICED_FROM_CHARS) return parseEnvelope(text, maxDepth, maxObjects);
  // Reading a large body ends with its text put together in one piece (an I/O callback): let the event
  // loop go round before the scan's first slice rather than after it.
  await yieldWholeTurn();
  const scanner = new Scanner(text, maxDepth);
  const slicer = new WorkSlicer();
  let spans: Array<[number, number]>;
  try {
    spans = await scanner.objectSpans(slicer);
  } catch {
    return parseEnvelope(text, maxDepth, maxObjects);
  }
  const array = scanner.objectsArray;
  if (!array || scanner.objectsKeys !== 1) return parseEnvelope(text, maxDepth, maxObjects);
  try {
    JSON.parse(text.slice(0, array[0]) + '[]' + text.slice(array[1]));
  } catch {
    return parseEnvelope(text, maxDepth, maxObjects);
  }
  if (spans.length > maxObjects) throw tooManyObjects(spans.length, maxObjects);
  const summaries = opts.summariesWhen?.(spans.length) ?? false;
  const out: PostedObject[] = [];
  for (const [start, end] of spans) {
    await slicer.step();
    const raw = text.slice(start, end);
    try {
      const value: unknown = JSON.parse(raw);
      out.push({ raw, value: summaries ? summaryOf(value) : value });
    } catch {
      return parseEnvelope(text, maxDepth, maxObjects);
    }
  }
  return out;
}

function summaryOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['id', 'modified', 'created']) if (k in v) out[k] = v[k];
  return out;
}

export function tooManyObjects(count: number, maxObjects: number): DomainError {
  return new DomainError(413, 'Request too large', `The envelope holds ${count} objects; this server accepts at most ${maxObjects} per request. Split it into smaller envelopes.`);
}

function parseObjects(text: string, maxObjects: number): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError(`The request body is not valid JSON (${(e as Error).message}); send a TAXII envelope {"objects": [...]}.`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InvalidInputError('The request body must be a JSON object: a TAXII envelope {"objects": [...]} or a STIX bundle.');
  }
  const objects = (doc as Record<string, unknown>).objects;
  if (objects === undefined) throw new InvalidInputError('The envelope has no "objects" property; send {"objects": [...]} with the STIX objects to add.');
  if (!Array.isArray(objects)) throw new InvalidInputError('"objects" must be an array of STIX objects.');
  if (objects.length > maxObjects) throw tooManyObjects(objects.length, maxObjects);
  return objects;
}

function withRawText(text: string, objects: unknown[], maxDepth: number): PostedObject[] {
  const spans = new Scanner(text, maxDepth).objectSpansNow();
  if (spans.length !== objects.length) throw new InvalidInputError('The envelope could not be split into its objects; check for duplicate "objects" keys.');
  return objects.map((value, i) => ({ raw: text.slice(spans[i]![0], spans[i]![1]), value }));
}

/** A minimal JSON scanner over already-validated JSON text: finds the spans of the top-level "objects" elements. */
class Scanner {
  private i = 0;
  /** Where the value of the last "objects" key, when an array, starts and ends. */
  objectsArray?: [number, number];
  /** How many "objects" keys the top-level object has. */
  objectsKeys = 0;
  constructor(
    private readonly s: string,
    private readonly maxDepth: number,
  ) {}

  /** The spans of the "objects" elements, in one go. */
  objectSpansNow(): Array<[number, number]> {
    const steps = this.scan();
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /** The same, giving the event loop a turn whenever the slicer's budget has run out. */
  async objectSpans(slicer: WorkSlicer): Promise<Array<[number, number]>> {
    const steps = this.scan();
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      await slicer.step();
    }
  }

  /** Scans the body, pausing after each element of the "objects" array. */
  private *scan(): Generator<void, Array<[number, number]>> {
    let spans: Array<[number, number]> = [];
    this.ws();
    this.expect(123); // {
    this.ws();
    if (this.peek() === 125) return spans;
    for (;;) {
      this.ws();
      const keyStart = this.i;
      this.skipString();
      const key = JSON.parse(this.s.slice(keyStart, this.i)) as string;
      this.ws();
      this.expect(58); // :
      this.ws();
      if (key === 'objects') this.objectsKeys++;
      if (key === 'objects' && this.peek() === 91) {
        const start = this.i;
        spans = yield* this.arrayElementSpans();
        this.objectsArray = [start, this.i];
      } else this.skipValue(1);
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 125) return spans;
      if (c !== 44) throw new InvalidInputError('The request body is not a well-formed JSON object.');
    }
  }

  private *arrayElementSpans(): Generator<void, Array<[number, number]>> {
    const spans: Array<[number, number]> = [];
    this.expect(91);
    this.ws();
    if (this.peek() === 93) {
      this.i++;
      return spans;
    }
    for (;;) {
      this.ws();
      const start = this.i;
      this.skipValue(2);
      spans.push([start, this.i]);
      yield;
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 93) return spans;
      if (c !== 44) throw new InvalidInputError('The "objects" array is not well-formed JSON.');
    }
  }

  private skipValue(depth: number): void {
    const c = this.peek();
    if (c === 34) return this.skipString();
    if (c === 123 || c === 91) {
      // Iterative bracket matching (string-aware), with a depth limit against deeply nested input.
      let d = 0;
      while (this.i < this.s.length) {
        const ch = this.s.charCodeAt(this.i);
        if (ch === 34) {
          this.skipString();
          continue;
        }
        this.i++;
        if (ch === 123 || ch === 91) {
          d++;
          if (depth + d > this.maxDepth) throw new InvalidInputError(`The request nests JSON deeper than ${this.maxDepth} levels; flatten the objects.`);
        } else if (ch === 125 || ch === 93) {
          d--;
          if (d === 0) return;
        }
      }
      throw new InvalidInputError('The request body ends inside a JSON value.');
    }
    while (this.i < this.s.length) {
      const ch = this.s.charCodeAt(this.i);
      if (ch === 44 || ch === 125 || ch === 93 || ch === 32 || ch === 10 || ch === 13 || ch === 9) return;
      this.i++;
    }
  }

  private skipString(): void {
    this.expect(34);
    const s = this.s;
    for (;;) {
      const q = s.indexOf('"', this.i);
      if (q < 0) throw new InvalidInputError('The request body ends inside a JSON string.');
      let bs = 0;
      for (let k = q - 1; k >= this.i && s.charCodeAt(k) === 92; k--) bs++;
      this.i = q + 1;
      if (bs % 2 === 0) return;
    }
  }

  private ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i++;
      else return;
    }
  }

  private peek(): number {
    return this.s.charCodeAt(this.i);
  }

  private expect(code: number): void {
    if (this.s.charCodeAt(this.i) !== code) throw new InvalidInputError('The request body is not well-formed JSON.');
    this.i++;
  }
}
