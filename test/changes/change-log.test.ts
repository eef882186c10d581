/** The change log is written in the transaction of the change: a write that fails leaves neither the change nor its event. */
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(() => s.close());

const C = `/api1/collections/${IDS.writable}`;
const post = (objects: unknown[]) =>
  s.request().post(`${C}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(objects));
const feed = async () => JSON.parse((await s.request().get(`${C}/changes/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200)).text);
const objects = async () => (await s.request().get(`${C}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).text;

/** A real database-level failure when the change log gets an event of this kind. */
async function failEvents(change: string): Promise<() => Promise<void>> {
  const knex = s.rt.db.knex;
  if (s.rt.db.dialect === 'sqlite') {
    await knex.raw(`create trigger fail_event before insert on changes when new.change = '${change}' begin select raise(abort, 'log says no'); end`);
    return async () => void (await knex.raw('drop trigger fail_event'));
  }
  await knex.raw(`create function fail_event() returns trigger language plpgsql as $$ begin if new.change = '${change}' then raise exception 'log says no'; end if; return new; end $$`);
  await knex.raw('create trigger fail_event before insert on changes for each row execute function fail_event()');
  return async () => {
    await knex.raw('drop trigger fail_event on changes');
    await knex.raw('drop function fail_event()');
  };
}

test('When moving the add event of a deleted version to the log fails, Then nothing is deleted, and a retry logs the add and the deletion', async () => {
  const obj = indicator(1);
  await post([obj]);
  const before = (await feed()).changes;
  expect(before.map((c: { change: string }) => c.change)).toEqual(['added']);
  const heal = await failEvents('added');
  const res = await s.request().delete(`${C}/objects/${obj.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
  expect(res.status).toBeGreaterThanOrEqual(500);
  expect(JSON.parse(await objects()).objects.map((o: { id: string }) => o.id)).toEqual([obj.id]);
  expect((await feed()).changes).toEqual(before);
  await heal();
  await s.request().delete(`${C}/objects/${obj.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
  const after = (await feed()).changes;
  expect(after.map((c: { change: string }) => c.change)).toEqual(['added', 'deleted']);
  // The add event keeps its position (the version's date_added) once the version is gone.
  expect(after[0]).toEqual(before[0]);
});

test('When writing the event of a DELETE fails, Then nothing is deleted and no deletion is reported', async () => {
  const obj = indicator(3);
  await post([obj]);
  const heal = await failEvents('deleted');
  const res = await s.request().delete(`${C}/objects/${obj.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
  expect(res.status).toBeGreaterThanOrEqual(500);
  expect(JSON.parse(await objects()).objects.map((o: { id: string }) => o.id)).toEqual([obj.id]);
  expect((await feed()).changes.map((c: { change: string }) => c.change)).toEqual(['added']);
  await heal();
  await s.request().delete(`${C}/objects/${obj.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
  expect((await feed()).changes.map((c: { change: string }) => c.change)).toEqual(['added', 'deleted']);
});

test('When the change-log migrations are rolled back and applied again, Then the objects stay and the log is backfilled from them', async () => {
  const { migrations } = await import('../../migrations');
  const source = { getMigrations: async () => [...migrations], getMigrationName: (m: (typeof migrations)[number]) => m[0], getMigration: async (m: (typeof migrations)[number]) => m[1] };
  const objs = [indicator(10), indicator(11), indicator(11, { modified: '2024-07-01T00:00:00.000Z', revoked: true })];
  await post(objs);
  const before = (await feed()).changes;
  const knex = s.rt.db.knex;
  expect(JSON.parse(await objects()).objects).toHaveLength(2);
  // Read straight from the table while the schema is rolled back: the server's reads need every migration.
  const stored = async () => (await knex('objects').orderBy('seq').select('stix_id', 'version_key', 'body')) as unknown[];
  const storedBefore = await stored();
  // Undo, one by one, every migration from the change log's onwards (the later ones first).
  const fromChanges = migrations.filter(([name]) => name >= '20261201001801_create-changes').length;
  for (let i = 0; i < fromChanges; i++) await knex.migrate.down({ migrationSource: source });
  expect(await knex.schema.hasTable('changes')).toBe(false);
  expect(await stored()).toEqual(storedBefore);
  await knex.migrate.latest({ migrationSource: source });
  expect(JSON.parse(await objects()).objects).toHaveLength(2);
  expect((await feed()).changes).toEqual(before);
});
