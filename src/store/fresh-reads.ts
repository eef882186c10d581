/**
 * Concurrent reads of one small fact (a collection's write position, the access-control revision) sharing
 * a query, without ever answering a caller with a value read before it asked. A caller that finds no read
 * of its key under way starts one; a caller that finds one under way waits for the next read, which starts
 * once that one has ended and which every caller arriving meanwhile shares. Each caller therefore gets a
 * read that started after it asked, as if it had read alone: a write committed before a request arrived is
 * seen by it, in any process. Under concurrent polling on PostgreSQL this replaces one round trip per
 * request with one per read in flight. Keys with nothing under way hold no memory.
 *
 * A read that fails with an error `sharesFailure` accepts (the database gave no answer within the wait
 * limit) fails the callers waiting for the next read too, instead of starting another that would keep them
 * waiting a second wait limit: every caller gets its answer (a 503) within one wait limit of asking.
 */
export class FreshReads<T> {
  private readonly reads = new Map<string, { running: Promise<T>; next?: Promise<T> }>();

  constructor(
    private readonly read: (key: string) => Promise<T>,
    private readonly sharesFailure: (err: unknown) => boolean = () => false,
  ) {}

  get(key: string): Promise<T> {
    const current = this.reads.get(key);
    if (!current) return this.start(key);
    // Not the read under way (it may have been sent before this caller asked): the one after it.
    current.next ??= current.running.then(
      () => this.start(key),
      (err: unknown) => {
        if (!this.sharesFailure(err)) return this.start(key);
        if (this.reads.get(key) === current) this.reads.delete(key);
        throw err;
      },
    );
    return current.next;
  }

  /** Keys with a read under way or waiting (for tests). */
  get pending(): number {
    return this.reads.size;
  }

  private start(key: string): Promise<T> {
    const entry: { running: Promise<T>; next?: Promise<T> } = { running: this.read(key) };
    this.reads.set(key, entry);
    const settled = () => {
      // A waiting next read replaces this entry itself when it starts.
      if (this.reads.get(key) === entry && entry.next === undefined) this.reads.delete(key);
    };
    entry.running.then(settled, settled);
    return entry.running;
  }
}
