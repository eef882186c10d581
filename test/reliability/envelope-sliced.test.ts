/**
 * parseEnvelopeSliced (large bodies parsed object by object, yielding to the event loop) gives exactly
 * what parseEnvelope gives, for well-formed and malformed bodies alike.
 */
import { parseEnvelope, parseEnvelopeSliced } from '../../src/taxii/envelope-parser';
import { indicator } from '../helpers/server';

const big = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify(indicator(i + 1)));
const objects = big(2000); // about 700 KB: over the size from which bodies are sliced

async function outcome(f: () => unknown): Promise<unknown> {
  try {
    return { ok: await f() };
  } catch (e) {
    return { error: (e as Error).message, status: (e as { httpStatus?: number }).httpStatus };
  }
}

const CASES: Record<string, string> = {
  'a plain envelope': `{"objects":[${objects.join(',')}]}`,
  'a bundle with other keys and whitespace': `{ "type": "bundle", "id": "bundle--1", "objects" : [ ${objects.join(' ,\n ')} ] , "more": {"a": [1, 2]} }`,
  'an element that is not valid JSON': `{"objects":[${objects.slice(0, 1000).join(',')},{"type": tru},${objects.slice(1000).join(',')}]}`,
  'invalid JSON outside the objects': `{"objects":[${objects.join(',')}], "x": [1,,2]}`,
  'duplicate objects keys': `{"objects":[${objects.join(',')}], "objects": []}`,
  'objects that is not an array': `{"objects":{"a": "${'x'.repeat(300_000)}"}}`,
  'no objects key': `{"other":"${'x'.repeat(300_000)}"}`,
  'a body that ends early': `{"objects":[${objects.join(',')}`,
  'nesting deeper than allowed': `{"objects":[${objects.join(',')},${'['.repeat(100)}${']'.repeat(100)}]}`,
  'too many objects': `{"objects":[${big(3000).join(',')}]}`,
  'trailing garbage': `{"objects":[${objects.join(',')}]} x`,
  'escaped quotes and brackets in strings': `{"objects":[${objects.join(',')},{"name":"a \\" ] } [ {","type":"x"}]}`,
};

for (const [name, text] of Object.entries(CASES)) {
  test(`When a large body has ${name}, Then the sliced parser answers exactly as the one-pass parser`, async () => {
    expect(text.length).toBeGreaterThan(256 * 1024);
    const expected = await outcome(() => parseEnvelope(text, 64, 2500));
    const actual = await outcome(() => parseEnvelopeSliced(text, 64, 2500));
    expect(actual).toEqual(expected);
  });
}
