/**
 * TLP marking ids are read without regard to case: an object marked TLP:RED with its id in capitals is as
 * hidden as one marked in lower case, on the TAXII endpoints, the change feed and the exports; a granular
 * marking in capitals redacts its property; TLP defined under another id is refused; and versions stored
 * before this rule get their levels again from the migration. SQLite, and PostgreSQL with TEST_DATABASE_URL.
 */
import * as tlpRefsAnyCase from '../../../migrations/20261208090001_tlp-refs-any-case';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../../helpers/server';

jest.setTimeout(60_000);

const RED2 = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const RED1 = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const C = `/api1/collections/${IDS.public}`;
const admin = { Accept: TAXII, Authorization: ADMIN_AUTH };
const anonymous = { Accept: TAXII };

const red2Upper = indicator(9701, { object_marking_refs: [RED2.toUpperCase().replace('MARKING-DEFINITION', 'marking-definition')], pattern: "[ipv4-addr:value = '198.51.100.71']" });
const red1Mixed = indicator(9702, { object_marking_refs: [RED1.replace('5e57c739', '5E57C739')], pattern: "[ipv4-addr:value = '198.51.100.72']" });
const granularUpper = indicator(9703, {
  description: 'the secretphrase text',
  granular_markings: [{ marking_ref: RED2.replace('e828b379', 'E828B379'), selectors: ['description'] }],
});
const open = indicator(9704, { pattern: "[ipv4-addr:value = '198.51.100.74']" });

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  const r = await s.request().post(`${C}/objects/`).set({ ...admin, 'Content-Type': TAXII }).send(envelope([red2Upper, red1Mixed, granularUpper, open]));
  expect(r.status).toBe(202);
  expect(JSON.parse(r.text)).toMatchObject({ success_count: 4, failure_count: 0 });
});
afterAll(() => s.close());

const idsOf = (text: string, key = 'objects') => ((JSON.parse(text)[key] ?? []) as Array<{ id: string }>).map((o) => o.id);

describe('object-level markings in capitals', () => {
  test('When an anonymous reader lists objects and the manifest, Then the TLP:RED objects are left out and the open one is served', async () => {
    for (const path of [`${C}/objects/`, `${C}/manifest/`]) {
      const ids = idsOf((await s.request().get(path).set(anonymous)).text);
      expect(ids).toContain(open.id);
      expect(ids).not.toContain(red2Upper.id);
      expect(ids).not.toContain(red1Mixed.id);
    }
    expect((await s.request().get(`${C}/objects/${red2Upper.id as string}/`).set(anonymous)).status).toBe(404);
  });

  test('When an anonymous reader reads the change feed and the block list, Then the TLP:RED objects are not in them', async () => {
    const changes = (await s.request().get(`${C}/changes/`).set(anonymous)).text;
    expect(changes).toContain(open.id as string);
    expect(changes).not.toContain(red2Upper.id as string);
    const list = await s.request().get(`${C}/exports/lists/ip`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('198.51.100.74');
    expect(list.text).not.toContain('198.51.100.71');
    expect(list.text).not.toContain('198.51.100.72');
  });

  test('When a reader cleared for RED lists objects, Then it gets them', async () => {
    const ids = idsOf((await s.request().get(`${C}/objects/`).set(admin)).text);
    expect(ids).toEqual(expect.arrayContaining([red2Upper.id, red1Mixed.id, open.id]));
  });
});

test('When a granular TLP:RED marking names its id in capitals, Then an anonymous reader gets the object without the marked property', async () => {
  const r = await s.request().get(`${C}/objects/${granularUpper.id as string}/`).set(anonymous);
  expect(r.text).not.toContain('secretphrase');
  const full = await s.request().get(`${C}/objects/${granularUpper.id as string}/`).set(admin);
  expect(full.text).toContain('secretphrase');
});

test('When TLP is defined anew under another id, in TLP 1.0 or TLP 2.0 form, Then the definition is refused with a reason', async () => {
  const homeMade = [
    { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--0b6e4a2c-3c1c-4a47-9a3c-0f5a1c1e0001', created: '2024-01-01T00:00:00.000Z', name: 'TLP:RED', definition_type: 'tlp', definition: { tlp: 'red' } },
    {
      type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--0b6e4a2c-3c1c-4a47-9a3c-0f5a1c1e0002', created: '2024-01-01T00:00:00.000Z', name: 'TLP:RED',
      extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'red' } },
    },
  ];
  const r = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set({ ...admin, 'Content-Type': TAXII }).send(envelope(homeMade));
  const status = JSON.parse(r.text);
  expect(status).toMatchObject({ success_count: 0, failure_count: 2 });
  for (const f of status.failures) expect(f.message).toMatch(/not one of the predefined TLP/);
});

test('When a version was stored with the default level although it is marked RED in capitals, Then the migration gives it its marking’s level, and leaves others alone', async () => {
  const knex = s.rt.db.knex;
  await knex('objects').where({ stix_id: red2Upper.id as string }).update({ tlp: 0 });
  const before = await knex('objects').where({ stix_id: open.id as string }).first('tlp', 'granular_tlp');
  await tlpRefsAnyCase.up(knex);
  expect(Number((await knex('objects').where({ stix_id: red2Upper.id as string }).first('tlp')).tlp)).toBe(4);
  expect(await knex('objects').where({ stix_id: open.id as string }).first('tlp', 'granular_tlp')).toEqual(before);
  expect(Number((await knex('objects').where({ stix_id: granularUpper.id as string }).first('granular_tlp')).granular_tlp)).toBe(4);
});
