/**
 * The ETags of export answers (block lists, CSV, MISP files), each kept with the collection's write position
 * it was worked out at and the time until which its content holds (the earliest valid_until among its
 * objects). A client revalidating an unchanged export with If-None-Match then gets its 304 without the
 * export being read, and a changed one is read once instead of twice (no hashing pass). Bounded by entries,
 * least recently used first out; an entry is only an ETag and a few numbers.
 */
export class ExportEtags {
  private readonly entries = new Map<string, { position: number; etag: string; untilUs: number }>();

  constructor(private readonly maxEntries = 2048) {}

  /** The ETag kept under `key` if it was worked out at this write position and its content still holds at `nowUs`. */
  get(key: string, position: number, nowUs: number): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (e.position !== position || nowUs >= e.untilUs) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.set(key, e);
    return e.etag;
  }

  set(key: string, position: number, etag: string, untilUs: number): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { position, etag, untilUs });
  }

  get size(): number {
    return this.entries.size;
  }
}
