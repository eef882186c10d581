/**
 * Serialised pages (objects, manifests, versions) kept for identical queries of the same visibility, each
 * under the collection's write position at the time it was built. An entry is served only while the
 * collection's write position is unchanged, which every add, new version and delete moves forward in its
 * own transaction (ObjectStore.writePosition): so no write is ever hidden from the next read, in this
 * process or another. The key holds everything else a page depends on: endpoint and collection, the
 * effective filter and position, the limit, and the reader's visibility (TLP clearance and the collection's
 * settings); access itself (grants) is decided before the cache is consulted. Bounded by entries and by
 * bytes, least recently used first out. A page is kept encoded (UTF-8): a hit is written to the client as
 * it is, without encoding 70 KB again or allocating a buffer for it on every poll; a short one as text.
 */
export class CachedPage {
  /** The page encoded (UTF-8), written to the client as it is; absent for a short page (SHORT_PAGE_BYTES). */
  readonly bytes?: Buffer;
  /** The text of a short page (the empty poll's `{}`): Node sends a text body in one write with the headers. */
  private readonly text?: string;
  /** Its UTF-8 length. */
  readonly length: number;

  constructor(
    json: string,
    readonly headers: Record<string, string>,
    readonly count?: number,
  ) {
    const bytes = Buffer.from(json, 'utf8');
    this.length = bytes.length;
    if (bytes.length <= SHORT_PAGE_BYTES) this.text = json;
    else this.bytes = bytes;
  }

  /** The page as text (a short page's own, else decoded from its bytes, for readers that parse it). */
  get json(): string {
    return this.text ?? this.bytes!.toString('utf8');
  }
}

/**
 * Pages up to this many bytes are kept as text: a Buffer body goes out as a second chunk after the headers
 * (a corked socket and a writev), a text body joins the headers in one write.
 */
export const SHORT_PAGE_BYTES = 1024;

export interface PageCacheOptions {
  /** Most entries kept (0 turns the cache off). */
  maxEntries: number;
  /** Most bytes of serialised pages kept (their UTF-8 length). */
  maxBytes: number;
  /**
   * Largest page kept (default 256 KiB, and never above a quarter of maxBytes). The pages asked for again
   * and again are the polls' first pages (limit 100 is about 70 KB); a full sync's pages of 1,000 objects
   * are each read once per pass, and keeping them only held memory.
   */
  maxEntryBytes?: number;
}

export const PAGE_CACHE_DEFAULTS: PageCacheOptions = { maxEntries: 512, maxBytes: 16 * 1024 * 1024 };
const MAX_ENTRY_BYTES = 256 * 1024;

export class PageCache {
  private readonly entries = new Map<string, { position: number; page: CachedPage; size: number }>();
  private bytes = 0;

  constructor(private readonly opts: PageCacheOptions = PAGE_CACHE_DEFAULTS) {}

  get enabled(): boolean {
    return this.opts.maxEntries > 0 && this.opts.maxBytes > 0;
  }

  /** The page stored under `key` if it was built at this write position; an entry of another position is dropped. */
  get(key: string, position: number): CachedPage | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (e.position !== position) {
      this.bytes -= e.size;
      return undefined;
    }
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.set(key, e);
    return e.page;
  }

  /**
   * Keeps a page built at this write position, encoded; returns what is kept (which the caller can send as
   * it is), or undefined when the page is not kept (too large, or the cache is off).
   */
  set(key: string, position: number, page: { json: string; headers: Record<string, string>; count?: number }): CachedPage | undefined {
    if (!this.enabled) return undefined;
    const largest = Math.min(this.opts.maxBytes / 4, this.opts.maxEntryBytes ?? MAX_ENTRY_BYTES);
    // UTF-8 is never shorter than the text's UTF-16 length: a text already too long is not encoded.
    if (page.json.length + 64 > largest) return undefined;
    const kept = new CachedPage(page.json, page.headers, page.count);
    const size = kept.length + 64;
    if (size > largest) return undefined;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.size;
    }
    while (this.entries.size && (this.entries.size >= this.opts.maxEntries || this.bytes + size > this.opts.maxBytes)) {
      const [k, e] = this.entries.entries().next().value!;
      this.entries.delete(k);
      this.bytes -= e.size;
    }
    this.entries.set(key, { position, page: kept, size });
    this.bytes += size;
    return kept;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
