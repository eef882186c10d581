/** A request's objects are stored in one transaction; statuses survive restarts. */
import pino from 'pino';
import { createRuntime } from '../../src/server';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(() => s.close());

const C = `/api1/collections/${IDS.writable}`;
const post = (objects: unknown[]) =>
  s.request().post(`${C}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(objects));

test('When the store fails on an object in the middle of an envelope, Then no object of that envelope is visible and the status says what failed', async () => {
  const objs = Array.from({ length: 9 }, (_, i) => indicator(100 + i));
  const bad = objs[4]!.id as string;
  // A real database-level failure on one row, in the middle of the envelope.
  const knex = s.rt.db.knex;
  if (s.rt.db.dialect === 'sqlite') {
    await knex.raw(`create trigger fail_one before insert on objects when new.stix_id = '${bad}' begin select raise(abort, 'disk says no'); end`);
  } else {
    await knex.raw(`create function fail_one() returns trigger language plpgsql as $$ begin if new.stix_id = '${bad}' then raise exception 'disk says no'; end if; return new; end $$`);
    await knex.raw('create trigger fail_one before insert on objects for each row execute function fail_one()');
  }
  const r = await post(objs);
  expect(r.status).toBe(202);
  const status = JSON.parse(r.text);
  expect(status).toMatchObject({ total_count: 9, success_count: 0, failure_count: 9 });
  const culprit = status.failures.find((f: { id: string }) => f.id === bad);
  expect(culprit.message).toMatch(/store refused this object.*disk says no/);
  for (const f of status.failures.filter((x: { id: string }) => x.id !== bad)) expect(f.message).toMatch(new RegExp(`failed on ${bad}.*rolled back`));
  const after = await s.request().get(`${C}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
  expect(after.text).toBe('{}');
  // The failed request left the collection usable: the same objects store once the fault is gone.
  await knex.raw(s.rt.db.dialect === 'sqlite' ? 'drop trigger fail_one' : 'drop trigger fail_one on objects');
  expect(JSON.parse((await post(objs)).text).success_count).toBe(9);
});

test('When the store fails on a statement after the new rows (a relationship\'s endpoints), Then nothing of the envelope is stored and the collection stays usable', async () => {
  const objs = [indicator(200), indicator(201)];
  const rel = {
    type: 'relationship',
    spec_version: '2.1',
    id: 'relationship--5b1f4c2e-8d3a-4e6b-9c7d-0a1b2c3d4e5f',
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    relationship_type: 'related-to',
    source_ref: objs[0]!.id,
    target_ref: objs[1]!.id,
  };
  const knex = s.rt.db.knex;
  if (s.rt.db.dialect === 'sqlite') {
    await knex.raw(`create trigger fail_links before insert on object_endpoints begin select raise(abort, 'links say no'); end`);
  } else {
    await knex.raw(`create function fail_links() returns trigger language plpgsql as $$ begin raise exception 'links say no'; end $$`);
    await knex.raw('create trigger fail_links before insert on object_endpoints for each row execute function fail_links()');
  }
  const status = JSON.parse((await post([...objs, rel])).text);
  expect(status).toMatchObject({ total_count: 3, success_count: 0, failure_count: 3 });
  for (const f of status.failures) expect(f.message).toMatch(/links say no.*rolled back/);
  expect((await s.request().get(`${C}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).text).toBe('{}');
  await knex.raw(s.rt.db.dialect === 'sqlite' ? 'drop trigger fail_links' : 'drop trigger fail_links on object_endpoints');
  expect(JSON.parse((await post([...objs, rel])).text).success_count).toBe(3);
  const stored = JSON.parse((await s.request().get(`${C}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).text);
  expect(stored.objects.map((o: { id: string }) => o.id).sort()).toEqual([...objs.map((o) => o.id as string), rel.id].sort());
});

test('When the server restarts, Then a status written before is still readable', async () => {
  const r = JSON.parse((await post([indicator(300)])).text);
  const again = await createRuntime(s.config, { log: pino({ level: 'silent' }) });
  try {
    const supertest = (await import('supertest')).default;
    const got = await supertest(again.app).get(`/api1/status/${r.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
    expect(got.status).toBe(200);
    expect(JSON.parse(got.text)).toEqual(r);
  } finally {
    await again.close();
  }
});

test('When the database connection dies inside the writing transaction, Then the POST gets a 503 TAXII error (retry), not a status of failures', async () => {
  const store = s.rt.stores.objects;
  const original = store.addObjects.bind(store);
  store.addObjects = async () => {
    throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  };
  try {
    const r = await post([indicator(400)]);
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBeDefined();
    expect(JSON.parse(r.text).description).toMatch(/nothing of this request was stored/);
  } finally {
    store.addObjects = original;
  }
  expect(JSON.parse((await post([indicator(400)])).text).success_count).toBe(1);
});
