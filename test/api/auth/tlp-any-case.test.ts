/**
 * TLP marking ids are read without regard to case: an object marked TLP:RED with its id in capitals is as
 * hidden as one marked in lower case, on the TAXII endpoints, the change feed and its stream and the
 * exports; a granular marking in capitals redacts its property; and TLP defined under another id is
 * refused while the predefined definitions are accepted. SQLite, and PostgreSQL with TEST_DATABASE_URL.
 * (Versions stored before this rule: test/integration/tlp-refs-any-case-migration.test.ts.)
 */
import * as http from 'node:http';
import { markings } from '../../fixtures/stix/corpus-base';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../../helpers/server';

jest.setTimeout(60_000);

const RED2 = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const RED1 = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const TLP2_EXT = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const C = `/api1/collections/${IDS.public}`;
const admin = { Accept: TAXII, Authorization: ADMIN_AUTH };
const anonymous = { Accept: TAXII };
/** The id with its UUID in capitals, as the STIX identifier pattern accepts it. */
const capitals = (id: string) => id.replace(/--(.*)$/, (_, uuid: string) => `--${uuid.toUpperCase()}`);

const red2Upper = indicator(9701, { object_marking_refs: [capitals(RED2)], pattern: "[ipv4-addr:value = '198.51.100.71']" });
const red1Mixed = indicator(9702, { object_marking_refs: [RED1.replace('5e57c739', '5E57C739')], pattern: "[ipv4-addr:value = '198.51.100.72']" });
const granularUpper = indicator(9703, {
  description: 'the secretphrase text',
  pattern: "[ipv4-addr:value = '198.51.100.73']",
  granular_markings: [{ marking_ref: RED2.replace('e828b379', 'E828B379'), selectors: ['description'] }],
});
const redCampaign = {
  type: 'campaign', spec_version: '2.1', id: 'campaign--5c0a3b9e-1d2f-4e5a-9b6c-7d8e9f0a1b71', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
  name: 'a campaign marked red in capitals', object_marking_refs: [capitals(RED2)],
};
const open = indicator(9704, { pattern: "[ipv4-addr:value = '198.51.100.74']" });
const indicates = {
  type: 'relationship', spec_version: '2.1', id: 'relationship--5c0a3b9e-1d2f-4e5a-9b6c-7d8e9f0a1b72', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
  relationship_type: 'indicates', source_ref: open.id, target_ref: redCampaign.id,
};
const hidden = [red2Upper.id, red1Mixed.id, redCampaign.id] as string[];

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  // The open indicator last: a reader that gets its event has been sent every earlier one.
  const r = await s.request().post(`${C}/objects/`).set({ ...admin, 'Content-Type': TAXII }).send(envelope([red2Upper, red1Mixed, granularUpper, redCampaign, indicates, open]));
  expect(r.status).toBe(202);
  expect(JSON.parse(r.text)).toMatchObject({ success_count: 6, failure_count: 0 });
});
afterAll(() => s.close());

// Ids of what was served, not substrings: the open relationship names the hidden campaign as its target.
const idsOf = (text: string, key = 'objects') => ((JSON.parse(text)[key] ?? []) as Array<{ id: string }>).map((o) => o.id);
const streamIds = (text: string) => text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => (JSON.parse(l.slice(6)) as { id: string }).id);

/** The text of the collection's change stream, from its start, until `until` has been sent. */
function streamUntil(until: string, auth?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...(auth ? { Authorization: auth } : {}) };
    const req = http.get(`${s.url}${C}/changes/stream?added_after=2000-01-01T00:00:00Z`, { headers }, (res) => {
      let text = '';
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`no event for ${until} in ${text.slice(0, 500)}`));
      }, 15_000);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes(until)) {
          clearTimeout(timer);
          req.destroy();
          resolve(text);
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
}

describe('object-level markings in capitals', () => {
  test('When an anonymous reader lists objects and the manifest, Then the TLP:RED objects are left out and the open one is served', async () => {
    for (const path of [`${C}/objects/`, `${C}/manifest/`]) {
      const ids = idsOf((await s.request().get(path).set(anonymous)).text);
      expect(ids).toContain(open.id);
      for (const id of hidden) expect(ids).not.toContain(id);
    }
    expect((await s.request().get(`${C}/objects/${red2Upper.id as string}/`).set(anonymous)).status).toBe(404);
    expect((await s.request().get(`${C}/objects/${red1Mixed.id as string}/`).set(anonymous)).status).toBe(404);
  });

  test('When an anonymous reader reads the change feed and its stream, Then the TLP:RED objects are not in them', async () => {
    const changes = idsOf((await s.request().get(`${C}/changes/`).set(anonymous)).text, 'changes');
    expect(changes).toContain(open.id);
    for (const id of hidden) expect(changes).not.toContain(id);
    const stream = streamIds(await streamUntil(open.id as string));
    expect(stream).toContain(open.id);
    for (const id of hidden) expect(stream).not.toContain(id);
  });

  test('When an anonymous reader takes the block list, the CSV, the STIX bundle and the MISP feed, Then the TLP:RED objects are not in them', async () => {
    for (const path of ['lists/ip', 'csv', 'stix/bundle.json']) {
      const r = await s.request().get(`${C}/exports/${path}`);
      expect(r.status).toBe(200);
      expect(r.text).toContain('198.51.100.74');
      expect(r.text).not.toContain('198.51.100.71');
      expect(r.text).not.toContain('198.51.100.72');
    }
    const bundle = idsOf((await s.request().get(`${C}/exports/stix/bundle.json`)).text);
    expect(bundle).toContain(open.id);
    for (const id of hidden) expect(bundle).not.toContain(id);
    const misp = await s.request().get(`${C}/exports/misp/manifest.json`);
    expect(misp.status).toBe(200);
    expect(Object.keys(JSON.parse(misp.text))).not.toContain(redCampaign.id.split('--')[1]);
  });

  test('When a reader cleared for RED reads objects, the change feed and the exports, Then it gets them, labelled TLP:RED', async () => {
    const ids = idsOf((await s.request().get(`${C}/objects/`).set(admin)).text);
    expect(ids).toEqual(expect.arrayContaining([...hidden, open.id]));
    expect(idsOf((await s.request().get(`${C}/changes/`).set(admin)).text, 'changes')).toEqual(expect.arrayContaining(hidden));
    expect(idsOf((await s.request().get(`${C}/exports/stix/bundle.json`).set('Authorization', ADMIN_AUTH)).text)).toEqual(expect.arrayContaining(hidden));
    const csv = (await s.request().get(`${C}/exports/csv`).set('Authorization', ADMIN_AUTH)).text;
    const row = csv.split('\r\n').find((l) => l.startsWith('198.51.100.71,'));
    expect(row).toContain('TLP:RED');
    const misp = JSON.parse((await s.request().get(`${C}/exports/misp/manifest.json`).set('Authorization', ADMIN_AUTH)).text);
    expect(misp[redCampaign.id.split('--')[1]!]?.Tag).toEqual([{ name: 'tlp:red' }]);
  });
});

test('When a granular TLP:RED marking names its id in capitals, Then an anonymous reader gets the object without the marked property, in objects and in the bundle', async () => {
  const r = await s.request().get(`${C}/objects/${granularUpper.id as string}/`).set(anonymous);
  expect(r.status).toBe(200);
  expect(r.text).toContain(granularUpper.id as string);
  expect(r.text).not.toContain('secretphrase');
  const bundle = await s.request().get(`${C}/exports/stix/bundle.json`);
  expect(bundle.text).toContain(granularUpper.id as string);
  expect(bundle.text).not.toContain('secretphrase');
  const full = await s.request().get(`${C}/objects/${granularUpper.id as string}/`).set(admin);
  expect(full.text).toContain('secretphrase');
});

describe('TLP marking definitions', () => {
  const post = async (collection: string, objects: unknown[]) => {
    const r = await s.request().post(`/api1/collections/${collection}/objects/`).set({ ...admin, 'Content-Type': TAXII }).send(envelope(objects));
    expect(r.status).toBe(202);
    return JSON.parse(r.text) as { success_count: number; failure_count: number; failures?: Array<{ id: string; message: string }> };
  };
  const homeMade = (n: number, extra: Record<string, unknown>) => ({
    type: 'marking-definition', spec_version: '2.1', id: `marking-definition--0b6e4a2c-3c1c-4a47-9a3c-0f5a1c1e000${n}`, created: '2024-01-01T00:00:00.000Z', name: 'TLP:RED', ...extra,
  });
  const refusal = /not one of the predefined TLP.*\[marking\.tlp-mismatch\]/;

  test('When TLP is defined anew under another id, in TLP 1.0 or TLP 2.0 form, beside the four TLP 1.0 and five TLP 2.0 predefined definitions, Then each made-up one is refused with a reason and each predefined one accepted', async () => {
    const madeUp = [
      homeMade(1, { definition_type: 'tlp', definition: { tlp: 'red' } }),
      homeMade(2, { extensions: { [TLP2_EXT]: { extension_type: 'property-extension', tlp_2_0: 'red' } } }),
      // The extension's id in capitals: the schema does not check its level there, a reader of ids in any case takes it as TLP.
      homeMade(3, { definition_type: 'statement', definition: { statement: 'internal' }, extensions: { [capitals(TLP2_EXT)]: { extension_type: 'property-extension', tlp_2_0: 'red' } } }),
    ];
    const status = await post(IDS.writable, [...madeUp, ...markings()]);
    expect(status).toMatchObject({ success_count: 9, failure_count: 3 });
    expect(status.failures!.map((f) => f.id)).toEqual(madeUp.map((m) => m.id));
    for (const f of status.failures!) expect(f.message).toMatch(refusal);
  });

  test('When a predefined TLP 1.0 id carries the TLP 2.0 extension, Then it is refused: TLP 2.0 is defined under an id not its own', async () => {
    const status = await post(IDS.private, [{ ...markings()[3]!, extensions: { [TLP2_EXT]: { extension_type: 'property-extension', tlp_2_0: 'red' } } }]);
    expect(status).toMatchObject({ success_count: 0, failure_count: 1 });
    expect(status.failures![0]!.message).toMatch(refusal);
  });
});
