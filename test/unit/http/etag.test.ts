/** If-None-Match against a page's or an export's entity tag (RFC 9110 §13.1.2). */
import { etagMatches } from '../../../src/http/etag';

const TAG = '"k3x.abcdefghijklmnopqrstuv"';

describe('etagMatches', () => {
  test.each([
    [undefined, false],
    ['', false],
    [TAG, true],
    [`W/${TAG}`, true],
    ['*', true],
    [`"other", ${TAG}`, true],
    [`"other" ,W/${TAG} `, true],
    ['"other"', false],
    [TAG.slice(0, -2) + '"', false],
  ])('When If-None-Match is %p, Then it matches: %p', (header, expected) => {
    expect(etagMatches(header, TAG)).toBe(expected);
  });
});
