/**
 * `validate` of a large file: read as a stream (as `import` reads it) with the same report and exit code as
 * the whole-document path, on every document of the STIX corpus; and the input details it shares with
 * `import` (a byte-order mark, one-line JSON syntax errors).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runValidate, type ValidateCommandIo, type ValidateOptions } from '../../../src/stix/validate-command';

const FIXTURES = path.resolve(__dirname, '../../fixtures/stix');

function io(): ValidateCommandIo & { out: string; err: string } {
  const r = { out: '', err: '', stdout: (t: string) => { r.out += t; }, stderr: (t: string) => { r.err += t; }, readStdin: async () => '' };
  return r;
}

/**
 * Every document of the corpus: the example files, the document of every rule case, and each rule case's
 * object both alone and in a bundle or an envelope (in turn).
 */
function corpus(): { name: string; document: unknown }[] {
  const docs: { name: string; document: unknown }[] = [];
  let n = 0;
  for (const dir of ['valid', 'invalid', 'passing', 'warning']) {
    for (const f of fs.readdirSync(path.join(FIXTURES, dir)).filter((x) => x.endsWith('.json')).sort()) {
      const json = JSON.parse(fs.readFileSync(path.join(FIXTURES, dir, f), 'utf8')) as { cases?: { name: string; document?: unknown; object?: unknown }[] };
      if (dir === 'valid') docs.push({ name: `${dir}/${f}`, document: json });
      for (const c of json.cases ?? []) {
        const name = `${dir}/${f}: ${c.name}`;
        if ('document' in c) docs.push({ name, document: c.document });
        if ('object' in c) {
          docs.push({ name: `${name} (alone)`, document: c.object });
          docs.push({ name, document: n++ % 2 ? { objects: [c.object] } : { type: 'bundle', id: 'bundle--a035944d-7ace-46c1-87a9-ec00462989b8', objects: [c.object] } });
        }
      }
    }
  }
  return docs;
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-stream-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function both(file: string, options: ValidateOptions) {
  const whole = io();
  const wholeCode = await runValidate(file, options, whole);
  let streams = 0;
  const streamed = {
    ...io(),
    openStream: (f: string) => {
      streams++;
      return fs.createReadStream(f, { encoding: 'utf8', highWaterMark: 64 });
    },
  };
  streamed.stdout = (t: string) => { streamed.out += t; };
  streamed.stderr = (t: string) => { streamed.err += t; };
  const streamedCode = await runValidate(file, { ...options, streamAboveBytes: 0 }, streamed);
  return { whole: { code: wholeCode, out: whole.out, err: whole.err }, streamed: { code: streamedCode, out: streamed.out, err: streamed.err }, streams };
}

describe('validate of a file over the streaming threshold', () => {
  test('When every document of the STIX corpus is validated as a stream, Then the report and exit code are those of the whole-document path', async () => {
    const docs = corpus();
    expect(docs.length).toBeGreaterThan(2000);
    let streamedContainers = 0;
    for (const [i, d] of docs.entries()) {
      const file = path.join(work, `doc-${i}.json`);
      // Indented, so that the members are not on one line.
      fs.writeFileSync(file, JSON.stringify(d.document, null, i % 2 ? 2 : undefined));
      for (const options of [{}, { allowCustom: true }, { json: true }] as ValidateOptions[]) {
        const r = await both(file, options);
        expect({ name: d.name, options, ...r.streamed }).toEqual({ name: d.name, options, ...r.whole });
        const doc = d.document as Record<string, unknown> | null;
        // A bundle or an envelope is read as a stream (twice); anything else whole.
        const container = typeof doc === 'object' && doc !== null && !Array.isArray(doc) && (doc.type === 'bundle' ? doc.objects === undefined || Array.isArray(doc.objects) : doc.type === undefined && Array.isArray(doc.objects));
        const wellFormed = container && (doc!.objects === undefined || (doc!.objects as unknown[]).every((o) => typeof o === 'object' && o !== null && !Array.isArray(o)));
        if (wellFormed) {
          expect({ name: d.name, streams: r.streams }).toEqual({ name: d.name, streams: 2 });
          streamedContainers++;
        }
      }
    }
    expect(streamedContainers).toBeGreaterThan(3000);
  });

  test('When a large bundle uses a new SCO type known only from an instance carrying its extension, Then the stream gives the same report as the whole document', async () => {
    const ext = 'extension-definition--3f1c55a5-2b0a-4b8e-9a55-1d7f0f3a6c11';
    const identity = 'identity--cbcf493e-81a7-485c-9d8e-ca57de01f4d7';
    const t = '2026-01-01T00:00:00.000Z';
    const indicator = { type: 'indicator', spec_version: '2.1', id: 'indicator--5a0f9d84-3c0b-4b8e-8e51-0f3c8f0c3b21', created: t, modified: t, pattern: "[my-wallet:value = 'abc']", pattern_type: 'stix', valid_from: t };
    const wallet = { type: 'my-wallet', spec_version: '2.1', id: 'my-wallet--7d0c1c5e-4a3e-4f7b-9b1e-2f6a9c1d0e33', value: 'abc', extensions: { [ext]: { extension_type: 'new-sco' } } };
    // The definition's name is not the type, so only the instance tells that my-wallet is the new SCO type.
    const definition = { type: 'extension-definition', spec_version: '2.1', id: ext, created_by_ref: identity, created: t, modified: t, name: 'Wallet definition', schema: 'see description', version: '1.0.0', extension_types: ['new-sco'] };
    const file = path.join(work, 'defined-by-instance.json');
    for (const objects of [[indicator, wallet, definition], [indicator, definition], [definition, indicator, wallet]]) {
      fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--a035944d-7ace-46c1-87a9-ec00462989b8', objects }));
      for (const options of [{}, { json: true }]) {
        const r = await both(file, options);
        expect(r.streamed).toEqual(r.whole);
        expect(r.streams).toBe(2);
      }
    }
    const withInstance = await both(file, {});
    fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--a035944d-7ace-46c1-87a9-ec00462989b8', objects: [indicator, definition] }));
    const without = await both(file, {});
    // The instance makes a difference, so the first pass must have found it.
    expect(withInstance.whole.out).not.toEqual(without.whole.out);
  });

  test('When a large bundle has many objects, Then progress is reported on stderr and objects without findings are only counted', async () => {
    const ip = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' };
    const file = path.join(work, 'many.json');
    fs.writeFileSync(file, JSON.stringify({ objects: Array.from({ length: 20_001 }, () => ip) }));
    const o = io();
    expect(await runValidate(file, { streamAboveBytes: 0 }, o)).toBe(0);
    expect(o.out).toMatch(/envelope with 20001 objects: valid, 20000 warnings/);
    expect(o.err.split('\n').filter((l) => l.startsWith('validated'))).toEqual([
      'validated 10,000 of 20,001 objects', 'validated 20,000 of 20,001 objects', 'validated 20,001 of 20,001 objects',
    ]);
  });
});

describe('validate and import read the same JSON', () => {
  test('When a file starts with a UTF-8 byte-order mark, Then validate reads it as without one, whole or streamed', async () => {
    const file = path.join(work, 'bom.json');
    const text = fs.readFileSync(path.join(FIXTURES, 'valid', 'markings.json'), 'utf8');
    fs.writeFileSync(file, `\ufeff${text}`);
    for (const streamAboveBytes of [undefined, 0]) {
      const o = io();
      expect({ streamAboveBytes, code: await runValidate(file, { streamAboveBytes }, o), err: o.err }).toEqual({ streamAboveBytes, code: 0, err: '' });
      expect(o.out).toMatch(/bundle with 9 objects: valid/);
    }
  });

  test('When a file has a JSON syntax error near line breaks, Then the error is one line, whole or streamed', async () => {
    const file = path.join(work, 'broken.json');
    fs.writeFileSync(file, '{"type": "bundle",\n "id": "bundle--a035944d-7ace-46c1-87a9-ec00462989b8",\n "objects": [\n{"type":\n\n x}]}');
    for (const streamAboveBytes of [undefined, 0]) {
      const o = io();
      expect(await runValidate(file, { streamAboveBytes }, o)).toBe(1);
      expect(o.err).toMatch(/^error: .*broken.json is not valid JSON: /);
      expect(o.err.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
