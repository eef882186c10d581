/**
 * The audit log's retention: entries older than `audit.retention_days` are removed by the hourly pruning of
 * every process (Runtime.prune), oldest first and in batches; newer entries stay. On both stores.
 */
import { startTestServer, testConfigDoc, type TestServer } from '../../helpers/server';

const DAY = 86_400_000;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ doc: { ...testConfigDoc(), audit: { retention_days: 30 } } });
});

afterAll(async () => {
  await s?.close();
});

/** Every entry's target, oldest first. */
async function targets(): Promise<string[]> {
  return (await s.rt.services.audit.list({ limit: 1000 })).map((e) => e.target!).reverse();
}

test('When entries are older than audit.retention_days, Then the hourly pruning removes them and keeps the newer ones', async () => {
  const now = Date.now();
  const append = (daysAgo: number, target: string) => s.rt.stores.audit.append({ atMs: now - daysAgo * DAY, actor: 'cli:test', action: 'grant', target });
  await append(400, 'a year ago');
  await append(31, 'a month and a day ago');
  await append(29, 'a month less a day ago');
  await s.rt.services.audit.record('cli:test', 'revoke', 'just now');
  expect(s.config.audit.retentionDays).toBe(30);

  await s.rt.prune();
  expect(await targets()).toEqual(['a month less a day ago', 'just now']);
  // Nothing more is past the retention: another pruning removes nothing.
  await s.rt.prune();
  expect(await targets()).toEqual(['a month less a day ago', 'just now']);
});

test('When many entries are past the retention, Then they go in batches, oldest first, and the count removed is returned', async () => {
  const now = Date.now();
  for (let i = 0; i < 5; i++) await s.rt.stores.audit.append({ atMs: now - (100 + i) * DAY, actor: 'cli:test', action: 'grant', target: `old ${i}` });
  await s.rt.stores.audit.append({ atMs: now - 50 * DAY, actor: 'cli:test', action: 'grant', target: 'fifty days ago' });
  const before = await targets();

  // Entries before 60 days ago, two per statement: three statements for five entries.
  expect(await s.rt.stores.audit.prune(now - 60 * DAY, 2)).toBe(5);
  expect(await targets()).toEqual(before.filter((t) => !t.startsWith('old ')));
  expect(await targets()).toContain('fifty days ago');
  // A batch that ends exactly on the last old entry ends the loop too.
  await s.rt.stores.audit.append({ atMs: now - 70 * DAY, actor: 'cli:test', action: 'grant', target: 'seventy days ago' });
  await s.rt.stores.audit.append({ atMs: now - 80 * DAY, actor: 'cli:test', action: 'grant', target: 'eighty days ago' });
  expect(await s.rt.stores.audit.prune(now - 60 * DAY, 2)).toBe(2);
  expect(await targets()).not.toContain('seventy days ago');
});
