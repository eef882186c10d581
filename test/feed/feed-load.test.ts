/** The curated feed as the default start loads it: idempotent, and as the README describes it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { createRuntime, importSeed, type Runtime } from '../../src/server';
import { freshDatabaseUrl } from '../helpers/server';

let rt: Runtime;
let drop: () => Promise<void>;
beforeAll(async () => {
  const db = await freshDatabaseUrl();
  drop = db.drop;
  rt = await createRuntime(loadConfig({ DATABASE_URL: db.url }), { log: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await rt.close();
  await drop();
});

const snapshot = () => rt.db.knex('objects').orderBy('seq').select('seq', 'collection_id', 'stix_id', 'version_key', 'date_added_us', 'is_latest', 'body');

test('When the feed is loaded twice, Then the second load adds nothing and leaves the same rows', async () => {
  const first = await importSeed(rt);
  expect(first.failed).toBe(0);
  expect(first.added).toBeGreaterThan(200);
  const rows = await snapshot();
  const second = await importSeed(rt);
  expect(second).toEqual({ added: 0, unchanged: first.added, failed: 0 });
  expect(await snapshot()).toEqual(rows);
});

test('When the README feed section is read, Then its counts per collection and type are what the server serves', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- feed:start -->'), readme.indexOf('<!-- feed:end -->'));
  for (const root of rt.config.apiRoots) {
    for (const c of root.collections) {
      const served = await rt.stores.objects.countByType(c.id);
      const heading = section.indexOf(`**${c.alias}**`);
      expect(heading).toBeGreaterThanOrEqual(0);
      const rest = section.slice(heading + c.alias!.length + 4);
      const table = rest.slice(0, rest.search(/\n\*\*|$/));
      const documented = Object.fromEntries([...table.matchAll(/^\| ([a-z0-9-]+) \| (\d+) \|$/gm)].map((m) => [m[1], Number(m[2])]));
      expect(documented).toEqual(served);
    }
  }
});
