/** The streaming splitter behind `import`: every member of "objects", byte for byte, whatever the chunking. */
import fc from 'fast-check';
import { DocumentShapeError, jsonErrorMessage, skeleton, streamObjects, type DocumentShape } from '../../src/cli/object-stream';

async function collect(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  async function* gen() {
    for (const c of chunks) yield c;
  }
  for await (const o of streamObjects(gen())) out.push(o.text);
  return out;
}

function split(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let prev = 0;
  for (const c of at) {
    parts.push(text.slice(prev, c));
    prev = c;
  }
  parts.push(text.slice(prev));
  return parts;
}

const member = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });

describe('streamObjects', () => {
  test('When a bundle or envelope is cut into any chunks, with any spacing, Then the members come out exactly as written, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(member, { maxLength: 8 }),
        fc.record({ type: fc.constant('bundle'), id: fc.string(), extra: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (objects, head, pretty, cuts) => {
          const texts = objects.map((o) => JSON.stringify(o, null, pretty ? 2 : undefined));
          const doc = `\n{ ${Object.entries(head).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}, `).join('')}"objects" : [ ${texts.join(' ,\n ')} ] }\n`;
          expect(await collect(split(doc, cuts))).toEqual(texts);
        },
      ),
      { numRuns: 300 },
    );
  });

  test.each([
    ['not an object', '[1, 2]'],
    ['no objects key and not a bundle', '{"type": "indicator", "id": "x"}'],
    ['a top-level value that is not JSON', '{"more": tru, "objects": []}'],
    ['a missing colon', '{"type" "bundle", "objects": []}'],
    ['a missing comma', '{"type": "bundle" "objects": []}'],
    ['a trailing comma', '{"objects": [],}'],
    ['a byte-order mark that is not at the start', ' \ufeff{"objects": []}'],
    ['objects not an array', '{"objects": {}}'],
    ['cut off', '{"objects": [{"type": "indicator"'],
    ['a number among the objects', '{"objects": [1]}'],
    ['empty', '  '],
    ['text after the end', '{"objects": []} {}'],
  ])('When the document is %s, Then a DocumentShapeError says what is wrong', async (_what, text) => {
    await expect(collect([text])).rejects.toBeInstanceOf(DocumentShapeError);
  });

  test('When a bundle has no objects, Then nothing is yielded and the shape holds its top-level members', async () => {
    const shape: DocumentShape = { members: [], hasObjects: false };
    const out: string[] = [];
    for await (const o of streamObjects(one('{"type": "bundle", "id": "bundle--x", "x": {"a": [1, "}"]}, "n": -1.5e3, "t": true}'), shape)) out.push(o.text);
    expect(out).toEqual([]);
    expect(shape.hasObjects).toBe(false);
    expect(skeleton(shape)).toEqual({ type: 'bundle', id: 'bundle--x', x: { a: [1, '}'] }, n: -1500, t: true });
  });

  test('When the document is cut into any chunks, Then the shape is the document without the members of objects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), fc.array(member, { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 12 }), async (head, objects, cuts) => {
        const doc = JSON.stringify({ ...head, objects });
        const shape: DocumentShape = { members: [], hasObjects: false };
        async function* gen() {
          for (const c of split(doc, cuts)) yield c;
        }
        for await (const _ of streamObjects(gen(), shape)) void _;
        expect(skeleton(shape)).toEqual({ ...JSON.parse(doc), objects: [] });
      }),
      { numRuns: 200 },
    );
  });

  test('When the document starts with a UTF-8 byte-order mark, Then it is read as without one', async () => {
    expect(await collect(['\ufeff{"objects": [{"a": 1}]}'])).toEqual(['{"a": 1}']);
  });

  test('When JSON.parse quotes a snippet with line breaks, Then jsonErrorMessage keeps it on one line', () => {
    let error: unknown;
    try {
      JSON.parse('{"a":\n\n x}');
    } catch (e) {
      error = e;
    }
    expect(jsonErrorMessage(error)).not.toMatch(/[\n\r]/);
    expect(jsonErrorMessage(new Error('a\nb\tc\u2028'))).toBe('a\\nb\\tc\\u2028');
  });
});

function one(text: string): AsyncIterable<string> {
  return (async function* () {
    yield text;
  })();
}
