/** review list|show|approve|reject|withdraw from the command line, against a running server's database. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerAdminCommands } from '../../src/cli/admin-commands';
import { registerReviewCommands } from '../../src/cli/review-commands';
import { indicator, TAXII, type TestServer } from '../helpers/server';
import { act, auth, reviewConfigDoc, startReviewServer, submit } from './fixtures';
import { runCli } from '../helpers/cli-runner';

let s: TestServer;
let dir: string;

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ out: string; err: string; code: number }> {
  const r = await runCli(
    (program, io) => {
      registerAdminCommands(program, io);
      registerReviewCommands(program, io);
    },
    args,
    { env: { TAXII_CONFIG: path.join(dir, 'config.json'), DATABASE_URL: s.databaseUrl, ...env } },
  );
  return { out: r.out.join('\n'), err: r.err.join('\n'), code: r.code };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-review-cli-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(reviewConfigDoc()));
  s = await startReviewServer();
});
afterAll(async () => {
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const listJson = async (extra: string[] = []) => JSON.parse((await cli(['review', 'list', '--json', ...extra])).out);

test('When a curator approves from the command line, Then the object is published, and list and show say so', async () => {
  await submit(s, 'alice', [indicator(1)]);
  const [item] = await listJson();
  expect(item).toMatchObject({ state: 'pending', object_id: indicator(1).id, submitted_by: 'alice' });
  const shown = await cli(['review', 'show', item.id]);
  expect(shown.out).toContain('"pattern": "[ipv4-addr:value = \'10.0.0.1\']"');
  expect(shown.out).toMatch(/not published yet/);
  const approved = await cli(['review', 'approve', item.id, '--as', 'bob', '--note', 'seen in two reports']);
  expect(approved).toMatchObject({ code: 0, err: '' });
  expect(approved.out).toMatch(new RegExp(`^approved ${item.id}: ${indicator(1).id} 2024-01-01T00:00:00.000Z -> public-feed \\(date_added `));
  const poll = await s.request().get('/api1/collections/public-feed/objects/').set('Accept', TAXII);
  expect(JSON.parse(poll.text).objects.map((o: any) => o.id)).toEqual([indicator(1).id]);
  expect((await cli(['review', 'list', '--state', 'approved'])).out).toMatch(/\tapproved\tindicator\t.*-> public-feed by bob$/);
  const prov = await cli(['review', 'provenance', 'public-feed', indicator(1).id as string]);
  expect(prov.out).toMatch(new RegExp(`^2024-01-01T00:00:00.000Z\tdate_added \\S+\tapproved by bob at \\S+\tsubmission ${item.id}\tseen in two reports$`));
  const audit = await cli(['audit', 'list', '--limit', '3']);
  expect(audit.out).toMatch(/bob \(user:[^)]+\) via cli:[^\t]+\treview\.approve\t/);
});

test('When a newer version is shown, Then the differences from the published version are printed', async () => {
  await submit(s, 'alice', [indicator(1, { modified: '2024-05-01T00:00:00.000Z', name: 'renamed' })]);
  const [item] = await listJson();
  const shown = await cli(['review', 'show', item.id, '--as', 'bob']);
  expect(shown.out).toContain('against the version published in public-feed:');
  expect(shown.out).toContain('- name: "test indicator 1"');
  expect(shown.out).toContain('+ name: "renamed"');
  expect(shown.out).toContain('+ modified: "2024-05-01T00:00:00.000Z"');
});

test('When the configuration or the database cannot be opened, Then review exits 2 like every other command', async () => {
  const config = await cli(['review', 'list'], { TAXII_CONFIG: path.join(dir, 'missing.yaml') });
  expect(config).toMatchObject({ code: 2, err: expect.stringMatching(/^error: cannot read the configuration file .*missing\.yaml/) });
  const database = await cli(['review', 'list'], { DATABASE_URL: 'postgres://127.0.0.1:1/nothing' });
  expect(database).toMatchObject({ code: 2, err: expect.stringMatching(/^error: cannot open or migrate the database postgres:\/\/127\.0\.0\.1:1\/nothing: .*ECONNREFUSED/) });
  expect(database.err.split('\n')).toHaveLength(1);
});

test('When an action is refused, Then the command exits 2 (no content is invalid) with one readable line', async () => {
  const [item] = await listJson();
  const own = await cli(['review', 'withdraw', item.id, '--as', 'bob']);
  expect(own.code).toBe(2);
  expect(own.err).toBe(`error: Only the submitter may withdraw a submission; ${item.id} was submitted by alice.`);
  const noRight = await cli(['review', 'approve', item.id, '--as', 'carol']);
  expect(noRight.code).toBe(2);
  expect(noRight.err.split('\n')).toHaveLength(1);
  expect(noRight.err).toMatch(/^error: Approving into public-feed needs the curator right/);
  const missing = await cli(['review', 'show', '00000000-0000-4000-8000-000000000000']);
  expect(missing).toMatchObject({ code: 2, err: 'error: no submission 00000000-0000-4000-8000-000000000000 (see: review list --state all)' });
  expect((await cli(['review', 'reject', item.id])).code).not.toBe(0);
  expect(await cli(['review', 'list', '--as', 'nobody'])).toMatchObject({ code: 2, err: 'error: no user "nobody" (see: user list)' });
});

test('When the submitter withdraws and a curator rejects, Then list shows the states and the reason', async () => {
  await submit(s, 'alice', [indicator(2), indicator(3)]);
  const pending = (await listJson()).filter((x: any) => x.object_id !== indicator(1).id);
  const [a, b] = pending;
  expect((await cli(['review', 'withdraw', a.id, '--as', 'alice'])).out).toBe(`withdrew ${a.id}: ${a.object_id} ${a.version}`);
  expect((await cli(['review', 'reject', b.id, '--reason', 'duplicate of an existing indicator'])).code).toBe(0);
  const all = await listJson(['--state', 'withdrawn,rejected']);
  expect(all.map((x: any) => [x.id, x.state, x.reason])).toEqual([
    [a.id, 'withdrawn', undefined],
    [b.id, 'rejected', 'duplicate of an existing indicator'],
  ]);
  // The submitter reads the reason over HTTP too.
  const mine = await s.request().get(`/api1/review/submissions/${b.id}/`).set('Accept', TAXII).set('Authorization', auth('alice'));
  expect(JSON.parse(mine.text).reason).toBe('duplicate of an existing indicator');
});

test('When review or one of its commands is asked for --help, Then it explains itself with examples', async () => {
  for (const args of [['review'], ['review', 'list'], ['review', 'show'], ['review', 'approve'], ['review', 'reject'], ['review', 'withdraw'], ['review', 'provenance']]) {
    const r = await cli([...args, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: .*review/);
  }
  for (const sub of ['list', 'show', 'approve', 'reject', 'withdraw', 'provenance']) expect((await cli(['review', sub, '--help'])).out).toMatch(/Examples:[^]*review approve "\$ID"/);
  const grant = await cli(['grant', 'carol', 'public-feed', 'curator']);
  expect(grant.out).toBe('user carol on public-feed: can_read=false can_write=false curator=true');
});

test('When a review command gets bad input, Then it exits 2 with one line in the terms of the command line, never naming an HTTP request or an API member', async () => {
  const identity = { type: 'identity', spec_version: '2.1', id: 'identity--00000000-0000-4000-8000-00000000bad1', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'a source', identity_class: 'organization' };
  const referring = indicator(40, { created_by_ref: identity.id });
  await submit(s, 'alice', [identity, referring]);
  const pending = await listJson();
  const idOf = (stixId: string) => pending.find((x: any) => x.object_id === stixId).id as string;
  const [identityId, referringId] = [idOf(identity.id), idOf(referring.id as string)];
  const cases: Array<[string[], string]> = [
    [['review', 'list', '--state', 'pending,bogus'], 'error: --state "pending,bogus": "bogus" is not one of pending, approved, rejected, withdrawn, or all'],
    [['review', 'list', '--limit', '0'], 'error: --limit must be a positive integer'],
    [['review', 'list', '--inbox', 'public-feed'], 'error: "public-feed" is not a review inbox; the review inboxes are: inbox'],
    [['review', 'list', '--as', 'mallory'], 'error: user "mallory" may not review inbox: it needs read on it (or write, for its own submissions); grant it with: grant mallory inbox read'],
    [['review', 'show', identityId, '--as', 'mallory'], 'error: user "mallory" may not review inbox: it needs read on it (or write, for its own submissions); grant it with: grant mallory inbox read'],
    // dave reads the inbox at TLP:CLEAR only, and the submission is TLP:AMBER (the inbox's default).
    [['review', 'show', identityId, '--as', 'dave'], `error: no submission ${identityId} that you can see (see: review list --state all)`],
    [['review', 'show', 'not-an-id'], 'error: no submission not-an-id (see: review list --state all)'],
    [['review', 'approve', identityId, 'not-an-id', '00000000-0000-4000-8000-000000000000'], 'error: no submission not-an-id, 00000000-0000-4000-8000-000000000000 (see: review list --state all)'],
    [['review', 'approve', identityId, '--into', 'nowhere'], 'error: --into "nowhere" is not a collection that inbox publishes into; it publishes into: public-feed, private-feed'],
    [['review', 'approve', identityId, '--into', 'inbox'], 'error: --into "inbox" is not a collection that inbox publishes into; it publishes into: public-feed, private-feed'],
    [['review', 'approve', identityId], `error: name the collection to publish ${identity.id} into with --into: this inbox publishes identity objects into any of public-feed, private-feed`],
    [['review', 'approve', referringId, '--note', 'x'.repeat(5000)], 'error: --note must be text of at most 4000 characters'],
    [
      ['review', 'approve', referringId],
      `error: Refused: ${referring.id} refers to ${identity.id}, which public-feed does not hold. Approve the referenced objects with it (--with-referenced) or publish them first. Nothing was approved.`,
    ],
    [['review', 'reject', identityId, '--reason', '  '], 'error: --reason must be text of 1-4000 characters that the submitter will read'],
    [['review', 'withdraw', 'nope', '--as', 'alice'], 'error: no submission nope (see: review list --state all)'],
    [['review', 'provenance', 'nowhere', referring.id as string], 'error: no collection "nowhere" is configured; the configured ones are: public-feed, private-feed, inbox'],
    [['review', 'provenance', 'private-feed', referring.id as string, '--as', 'mallory'], 'error: user "mallory" may not read private-feed; grant it with: grant mallory private-feed read'],
  ];
  for (const [args, err] of cases) expect({ args, ...(await cli(args)) }).toEqual({ args, code: 2, out: '', err });
  // Nothing was decided by any of them.
  expect((await listJson()).filter((x: any) => [identityId, referringId].includes(x.id))).toHaveLength(2);
  // The API keeps its own wording of the same refusals.
  const api = await act(s, 'bob', 'approve', { submissions: [identityId] });
  expect(api.body.description).toBe(`Name the collection to publish ${identity.id} into ("into"): this inbox publishes identity objects into any of public-feed, private-feed.`);
  const unseen = await act(s, 'dave', 'approve', { submissions: [identityId], into: 'public-feed' });
  expect(unseen.body.description).toBe(`There is no submission ${identityId} that you can see in API root "api1"; GET /api1/review/submissions/ lists them.`);
  expect((await act(s, 'bob', 'approve', { submissions: [referringId] })).body.description).toContain('(include_referenced, or --with-referenced on the command line)');
});
