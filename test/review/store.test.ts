/** The review store: submissions written in the posting transaction, approvals all-or-nothing, migrations reversible. */
import { createDb, migrateDown, migrateLatest } from '../../src/store/db';
import { ADMIN_AUTH, envelope, IDS, indicator, TAXII, type TestServer } from '../helpers/server';
import { act, listAs, startReviewServer, submissionOf, submit } from './fixtures';

let s: TestServer;
beforeEach(async () => {
  s = await startReviewServer();
});
afterEach(() => s.close());

async function failInserts(table: string, stixId: string): Promise<() => Promise<void>> {
  const knex = s.rt.db.knex;
  if (s.rt.db.dialect === 'sqlite') {
    await knex.raw(`create trigger fail_one before insert on ${table} when new.stix_id = '${stixId}' begin select raise(abort, 'disk says no'); end`);
    return async () => void (await knex.raw('drop trigger fail_one'));
  }
  await knex.raw(`create function fail_one() returns trigger language plpgsql as $$ begin if new.stix_id = '${stixId}' then raise exception 'disk says no'; end if; return new; end $$`);
  await knex.raw(`create trigger fail_one before insert on ${table} for each row execute function fail_one()`);
  return async () => {
    await knex.raw(`drop trigger fail_one on ${table}`);
    await knex.raw('drop function fail_one()');
  };
}

test('When recording the submissions fails, Then the POST stores none of its objects either (one transaction)', async () => {
  const undo = await failInserts('review_submissions', indicator(2).id as string);
  const r = await s.request().post('/api1/collections/inbox/objects/').set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope([indicator(1), indicator(2)]));
  expect(JSON.parse(r.text)).toMatchObject({ success_count: 0, failure_count: 2 });
  const inbox = await s.request().get('/api1/collections/inbox/objects/').set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
  expect(inbox.text).toBe('{}');
  await undo();
  await submit(s, 'alice', [indicator(1), indicator(2)]);
  expect((await listAs(s, 'bob')).body.submissions).toHaveLength(2);
});

test('When publishing into the target fails inside an approval, Then the submissions stay pending and nothing is published', async () => {
  await submit(s, 'alice', [indicator(3), indicator(4)]);
  const ids = [await submissionOf(s, indicator(3).id as string), await submissionOf(s, indicator(4).id as string)];
  const undo = await failInserts('objects', indicator(4).id as string);
  const r = await act(s, 'bob', 'approve', { submissions: ids });
  expect(r.status).toBe(500);
  await undo();
  expect((await listAs(s, 'bob', '?state=pending')).body.submissions.map((x: any) => x.id)).toEqual(ids);
  expect((await s.request().get('/api1/collections/public-feed/objects/').set('Accept', TAXII)).text).toBe('{}');
  expect(await s.rt.stores.review.provenance(IDS.public, indicator(3).id as string)).toEqual([]);
  expect((await act(s, 'bob', 'approve', { submissions: ids })).status).toBe(200);
});

test('When an approved version shares the date_added sequence with POSTs, Then it is placed after everything committed before it', async () => {
  await submit(s, 'alice', [indicator(5)]);
  const id = await submissionOf(s, indicator(5).id as string);
  await s.request().post('/api1/collections/public-feed/objects/').set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope([indicator(6)]));
  const approved = await act(s, 'bob', 'approve', { submissions: [id] });
  const manifest = JSON.parse((await s.request().get('/api1/collections/public-feed/manifest/').set('Accept', TAXII)).text).objects;
  expect(manifest.map((m: any) => m.id)).toEqual([indicator(6).id, indicator(5).id]);
  expect(manifest[1].date_added).toBe(approved.body.approved[0].date_added);
});

test('When the migrations are rolled back and applied again, Then the review tables and the curator right come and go cleanly', async () => {
  const db = createDb({ url: s.databaseUrl });
  try {
    await migrateDown(db);
    expect(await db.knex.schema.hasTable('review_submissions')).toBe(false);
    await migrateLatest(db);
    expect(await db.knex.schema.hasTable('review_submissions')).toBe(true);
    expect(await db.knex.schema.hasColumn('grants', 'can_curate')).toBe(true);
  } finally {
    await db.close();
  }
});
