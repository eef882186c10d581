import { ExportEtags } from '../../src/exports/etag-cache';

describe('ExportEtags', () => {
  test('When the write position moved or the content expired, Then the kept ETag is not given and the entry is gone', () => {
    const etags = new ExportEtags();
    etags.set('a', 5, '"e1"', 1_000);
    expect(etags.get('a', 5, 999)).toBe('"e1"');
    expect(etags.get('a', 6, 999)).toBeUndefined();
    expect(etags.size).toBe(0);
    etags.set('a', 6, '"e2"', 1_000);
    expect(etags.get('a', 6, 1_000)).toBeUndefined();
    etags.set('b', 6, '"e3"', Infinity);
    expect(etags.get('b', 6, Number.MAX_SAFE_INTEGER)).toBe('"e3"');
  });

  test('When more answers are kept than the bound, Then the least recently used go first; a bound of 0 keeps nothing', () => {
    const etags = new ExportEtags(2);
    etags.set('a', 1, '"a"', Infinity);
    etags.set('b', 1, '"b"', Infinity);
    expect(etags.get('a', 1, 0)).toBe('"a"');
    etags.set('c', 1, '"c"', Infinity);
    expect([etags.get('a', 1, 0), etags.get('b', 1, 0), etags.get('c', 1, 0)]).toEqual(['"a"', undefined, '"c"']);
    const none = new ExportEtags(0);
    none.set('a', 1, '"a"', Infinity);
    expect(none.get('a', 1, 0)).toBeUndefined();
  });
});
