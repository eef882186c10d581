/**
 * A bundle export with nothing in it (an empty collection, a filter nothing passes, a reader who may see
 * nothing) leaves `objects` out, as `export` on the command line does: STIX 2.1 §2.12 forbids an empty list
 * where the property can be left out, and the server's own validate and import refuse one (bundle.objects-empty).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runValidate } from '../../src/stix/validate-command';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await s.request().post(`/api1/collections/${IDS.public}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope([indicator(1)])).expect(202);
});
afterAll(() => s.close());

async function validates(text: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-bundle-'));
  const file = path.join(dir, 'bundle.json');
  fs.writeFileSync(file, text);
  try {
    return await runValidate(file, { allowCustom: false }, { stdout: () => undefined, stderr: () => undefined, readStdin: async () => '' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test.each([
  ['an empty collection', `/api1/collections/${IDS.private}/exports/stix/bundle.json`],
  ['a type filter nothing passes', `/api1/collections/${IDS.public}/exports/stix/bundle.json?match[type]=malware`],
  ['a confidence filter nothing passes', `/api1/collections/${IDS.public}/exports/stix/bundle.json?match[type]=indicator&min_confidence=100&valid_from_start=2099-01-01T00:00:00Z`],
])('When the bundle of %s is downloaded, Then it has no objects member and validates as STIX 2.1', async (_what, url) => {
  const r = await s.request().get(url).set('Authorization', ADMIN_AUTH).expect(200);
  const bundle = JSON.parse(r.text);
  expect(bundle.type).toBe('bundle');
  expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
  expect('objects' in bundle).toBe(false);
  expect(await validates(r.text)).toBe(0);
});

test('When the bundle holds objects, Then it still validates and lists them', async () => {
  const r = await s.request().get(`/api1/collections/${IDS.public}/exports/stix/bundle.json`).set('Authorization', ADMIN_AUTH).expect(200);
  expect(JSON.parse(r.text).objects.map((o: { id: string }) => o.id)).toEqual([indicator(1).id]);
  expect(await validates(r.text)).toBe(0);
});
