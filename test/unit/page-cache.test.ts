/** PageCache (src/cache/page-cache.ts): served only at the position it was built at, and bounded. */
import { PageCache } from '../../src/cache/page-cache';

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
