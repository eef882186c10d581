/** The curated feed as the default start loads it: idempotent, and as the README describes it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import supertest from 'supertest';
import { loadConfig } from '../../src/config/config';
import { createRuntime, importSeed, type Runtime } from '../../src/server';
import { TAXII, freshDatabaseUrl } from '../helpers/server';
import { collectionObjects } from './helpers';

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

test('When the seed is loaded, Then every stored object body is compact JSON, as the envelopes around it', async () => {
  const rows = (await rt.db.knex('objects').select('body')) as Array<{ body: string }>;
  expect(rows.length).toBeGreaterThan(200);
  for (const { body } of rows) expect(body).toBe(JSON.stringify(JSON.parse(body)));
});

test('When a SIEM polls the default start for indicators page by page, Then it gets at least 200, covering every campaign that has indicators', async () => {
  const agent = supertest(rt.app);
  const polled = new Map<string, Record<string, unknown>>();
  let query = '?match[type]=indicator&limit=50';
  for (let page = 0; page < 100; page += 1) {
    const res = await agent.get(`/feed/collections/dprk-crypto-indicators/objects/${query}`).set('Accept', TAXII);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { more?: boolean; next?: string; objects?: Array<Record<string, unknown>> };
    for (const o of body.objects ?? []) {
      expect(o.type).toBe('indicator');
      polled.set(String(o.id), o);
    }
    if (!body.more) break;
    query = `?match[type]=indicator&limit=50&next=${encodeURIComponent(String(body.next))}`;
  }
  expect(polled.size).toBeGreaterThanOrEqual(200);

  // Which campaign each indicator indicates comes from the seed's own relationships.
  const seed = collectionObjects('dprk-crypto-indicators');
  const campaigns = new Map(seed.filter((o) => o.type === 'campaign').map((o) => [o.id, o]));
  const indicated = new Map<string, Set<string>>();
  for (const r of seed) {
    if (r.type !== 'relationship' || r.relationship_type !== 'indicates' || !campaigns.has(String(r.target_ref))) continue;
    const set = indicated.get(String(r.target_ref)) ?? new Set<string>();
    set.add(String(r.source_ref));
    indicated.set(String(r.target_ref), set);
  }
  const uncovered = [...indicated].filter(([, inds]) => ![...inds].some((i) => polled.has(i))).map(([c]) => String(campaigns.get(c)!.name));
  expect(uncovered).toEqual([]);
  // The 2022-2026 campaigns with published indicators: Harmony, Jade Sleet npm, Atomic Wallet, CoinsPaid/Alphapo,
  // Stake.com, CoinEx, Radiant Capital, Bybit, Contagious Interview and axios.
  const recent = [...indicated.keys()].filter((c) => String(campaigns.get(c)!.first_seen ?? '') >= '2022-06-01');
  expect(recent).toHaveLength(10);
});
