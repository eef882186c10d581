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
