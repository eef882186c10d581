/** PageCache (src/cache/page-cache.ts): served only at the position it was built at, and bounded. */
import { PageCache, SHORT_PAGE_BYTES } from '../../src/cache/page-cache';

const page = (json: string) => ({ json, headers: {}, count: 1 });

test('When the write position moved, Then the entry is not served and is dropped', () => {
  const c = new PageCache({ maxEntries: 10, maxBytes: 1 << 20 });
  c.set('k', 5, page('{"a":1}'));
  expect(c.get('k', 5)?.json).toBe('{"a":1}');
  expect(c.get('k', 6)).toBeUndefined();
  expect(c.get('k', 5)).toBeUndefined();
  expect(c.size).toEqual({ entries: 0, bytes: 0 });
});

test('When entries or bytes exceed the bounds, Then the least recently used go first', () => {
  const c = new PageCache({ maxEntries: 2, maxBytes: 1 << 20 });
  c.set('a', 1, page('a'));
  c.set('b', 1, page('b'));
  c.get('a', 1);
  c.set('c', 1, page('c'));
  expect(c.get('b', 1)).toBeUndefined();
  expect(c.get('a', 1)?.json).toBe('a');
  const small = new PageCache({ maxEntries: 100, maxBytes: 1000 });
  for (let i = 0; i < 20; i++) small.set(`k${i}`, 1, page('x'.repeat(100)));
  expect(small.size.bytes).toBeLessThanOrEqual(1000);
  expect(small.get('k19', 1)).toBeDefined();
  expect(small.get('k0', 1)).toBeUndefined();
});

test('When the cache is off, Then nothing is kept', () => {
  const c = new PageCache({ maxEntries: 0, maxBytes: 0 });
  c.set('a', 1, page('a'));
  expect(c.get('a', 1)).toBeUndefined();
});

test('When a page is larger than the largest entry kept, Then it is not kept and nothing else is evicted for it', () => {
  const c = new PageCache({ maxEntries: 100, maxBytes: 16 << 20 });
  c.set('poll', 1, page('p'.repeat(70_000)));
  c.set('sync', 1, page('s'.repeat(300_000)));
  expect(c.get('sync', 1)).toBeUndefined();
  expect(c.get('poll', 1)?.json.length).toBe(70_000);
  const wide = new PageCache({ maxEntries: 100, maxBytes: 16 << 20, maxEntryBytes: 1 << 20 });
  wide.set('sync', 1, page('s'.repeat(300_000)));
  expect(wide.get('sync', 1)?.json.length).toBe(300_000);
});

test('When a page is kept, Then it is kept as its UTF-8 bytes, which set returns and the next hit serves', () => {
  const c = new PageCache({ maxEntries: 10, maxBytes: 1 << 20 });
  const text = `{"objects":[${'{"name":"Kim Il Sung University – 김일성종합대학 🚩"},'.repeat(40)}{}]}`;
  expect(Buffer.byteLength(text)).toBeGreaterThan(SHORT_PAGE_BYTES);
  const kept = c.set('k', 7, { json: text, headers: { ETag: '"x"' }, count: 1 });
  expect(kept?.bytes?.equals(Buffer.from(text, 'utf8'))).toBe(true);
  const hit = c.get('k', 7);
  expect(hit?.bytes).toBe(kept?.bytes);
  expect(hit?.json).toBe(text);
  expect(hit?.headers).toEqual({ ETag: '"x"' });
  expect(c.size.bytes).toBe(Buffer.byteLength(text) + 64);
});

test('When a page is short, Then it is kept as its text (sent with the headers in one write) and counted by its UTF-8 bytes', () => {
  const c = new PageCache({ maxEntries: 10, maxBytes: 1 << 20 });
  const short = ['{}', '{"more":false,"objects":[]}', `{"x":"${'김'.repeat(300)}"}`];
  for (const text of short) {
    const kept = c.set(text, 1, { json: text, headers: {}, count: 0 });
    expect(kept?.bytes).toBeUndefined();
    expect(c.get(text, 1)?.json).toBe(text);
  }
  expect(c.size.bytes).toBe(short.reduce((n, t) => n + Buffer.byteLength(t) + 64, 0));
  const over = `{"x":"${'김'.repeat(400)}"}`;
  expect(c.set('over', 1, { json: over, headers: {} })?.bytes?.toString('utf8')).toBe(over);
});

test('When a page is short in characters but too long in UTF-8 bytes, Then it is not kept', () => {
  const c = new PageCache({ maxEntries: 10, maxBytes: 16 << 20, maxEntryBytes: 150_000 });
  expect(c.set('ascii', 1, page('a'.repeat(100_000)))).toBeDefined();
  expect(c.set('wide', 1, page('é'.repeat(100_000)))).toBeUndefined();
  expect(c.get('wide', 1)).toBeUndefined();
  expect(c.get('ascii', 1)).toBeDefined();
});
