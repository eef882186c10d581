/** The streaming splitter behind `import`: every member of "objects", byte for byte, whatever the chunking. */
import fc from 'fast-check';
import { DocumentShapeError, streamObjects } from '../../src/cli/object-stream';

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
    ['no objects key', '{"type": "bundle", "id": "x"}'],
    ['objects not an array', '{"objects": {}}'],
    ['cut off', '{"objects": [{"type": "indicator"'],
    ['a number among the objects', '{"objects": [1]}'],
    ['empty', '  '],
    ['text after the end', '{"objects": []} {}'],
  ])('When the document is %s, Then a DocumentShapeError says what is wrong', async (_what, text) => {
    await expect(collect([text])).rejects.toBeInstanceOf(DocumentShapeError);
  });
});
