/**
 * What a TLP:GREEN partner reads in every export format and in the change feed is exactly what it reads through
 * TAXII Get Objects (newest visible versions; unrevoked ones in the exports): object markings, granular markings in
 * `redact` and `withhold` mode, `omit_relationships_to_hidden`, a newer version above its clearance, a revocation.
 * No id it cannot read through TAXII appears in the CSV, a MISP event or the change feed.
 */
import { SYSTEM } from '../../src/server';
import { valuesOf } from '../../src/exports/values';
import { addUser } from '../api/auth/fixtures';
import { basic, TAXII, startTestServer, testConfigDoc, type TestServer } from '../helpers/server';

const C = '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a11';
const G = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const A = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const R = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const T = '2026-01-01T00:00:00.000Z';
const uuid = (n: number) => `7e5a0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ind = (n: number, ip: string, extra: Record<string, unknown> = {}) => ({ type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(n)}`, created: T, modified: T, name: `n${n}`, pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: T, confidence: 80, ...extra });

for (const mode of ['redact', 'withhold'] as const) {
  for (const omit of [true, false]) {
    test(`When granular markings are ${mode === 'redact' ? 'redacted' : 'withheld'} and omit_relationships_to_hidden is ${omit}, Then the bundle, lists, CSV, MISP and change feed hold what Get Objects gives a green partner, no more`, async () => {
      const doc = testConfigDoc({ api_roots: [{ path: 'api1', title: 'x', max_content_length: 1048576, collections: [{ id: C, alias: 'c', title: 'C', default_tlp: 'green', omit_relationships_to_hidden: omit, granular_markings: mode }] }] });
      const s: TestServer = await startTestServer({ doc });
      try {
        await addUser(s.rt, 'gp', 'gp-password-123', { tlp: 'green', grants: { [C]: ['read'] } });
        const objs: Record<string, unknown>[] = [];
        const marks = [undefined, [G], [A], [R]];
        for (let i = 0; i < 16; i++) {
          const m = marks[i % 4];
          const gran = i % 5 === 1 ? { granular_markings: [{ marking_ref: A, selectors: ['name'] }] } : i % 5 === 2 ? { granular_markings: [{ marking_ref: A, selectors: ['pattern'] }] } : {};
          objs.push(ind(i + 1, `45.1.${i}.1`, { ...(m ? { object_marking_refs: m } : {}), ...gran }));
        }
        objs.push({ type: 'campaign', spec_version: '2.1', id: `campaign--${uuid(100)}`, created: T, modified: T, name: 'amber camp', object_marking_refs: [A] });
        objs.push({ type: 'campaign', spec_version: '2.1', id: `campaign--${uuid(101)}`, created: T, modified: T, name: 'green camp', object_marking_refs: [G] });
        for (let i = 0; i < 16; i++) objs.push({ type: 'relationship', spec_version: '2.1', id: `relationship--${uuid(200 + i)}`, created: T, modified: T, relationship_type: 'indicates', source_ref: `indicator--${uuid(i + 1)}`, target_ref: `campaign--${uuid(100 + (i % 2))}` });
        objs.push({ type: 'report', spec_version: '2.1', id: `report--${uuid(300)}`, created: T, modified: T, name: 'rep', published: T, object_refs: objs.slice(0, 8).map((o) => o.id) });
        objs.push({ type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid(400)}`, value: '45.9.9.9', object_marking_refs: [A] });
        objs.push({ type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid(401)}`, value: '45.9.9.8' });
        const st = await s.rt.services.objects.addObjects(SYSTEM, 'api1', C, JSON.stringify({ objects: objs }), { recordStatus: false });
        expect(st.failures).toEqual([]);
        // A newer version above the partner's clearance, and a revocation.
        await s.rt.services.objects.addObjects(SYSTEM, 'api1', C, JSON.stringify({ objects: [ind(2, '45.1.1.1', { modified: '2026-02-01T00:00:00.000Z', object_marking_refs: [A] }), ind(5, '45.1.4.1', { modified: '2026-02-01T00:00:00.000Z', revoked: true })] }), { recordStatus: false });
        const auth = basic('gp', 'gp-password-123');
        const taxii: Record<string, unknown>[] = [];
        let next: string | undefined;
        do {
          const r = await s.request().get(`/api1/collections/${C}/objects/?limit=7${next ? `&next=${next}` : ''}`).set('Accept', TAXII).set('Authorization', auth).expect(200);
          const b = JSON.parse(r.text);
          taxii.push(...(b.objects ?? []));
          next = b.next;
        } while (next);
        const bundle = JSON.parse((await s.request().get(`/api1/collections/${C}/exports/stix/bundle.json`).set('Authorization', auth).expect(200)).text).objects as Record<string, unknown>[];
        const expect1 = taxii.filter((o) => o.revoked !== true).map((o) => JSON.stringify(o)).sort();
        expect(bundle.map((o) => JSON.stringify(o)).sort()).toEqual(expect1);
        const lst = (await s.request().get(`/api1/collections/${C}/exports/lists/ip`).set('Authorization', auth).expect(200)).text.split('\n').filter(Boolean).sort();
        const want = [...new Set(taxii.filter((o) => o.revoked !== true).flatMap((o) => valuesOf(o).map((v) => v.value)))].sort();
        expect(lst).toEqual(want);
        const csv = (await s.request().get(`/api1/collections/${C}/exports/csv`).set('Authorization', auth).expect(200)).text;
        const seenIds = new Set(taxii.map((o) => o.id));
        for (const m of csv.matchAll(/(indicator|campaign|report|relationship)--[0-9a-f-]{36}/g)) expect(seenIds.has(m[0])).toBe(true);
        expect(csv).not.toContain('amber camp');
        const man = JSON.parse((await s.request().get(`/api1/collections/${C}/exports/misp/manifest.json`).set('Authorization', auth).expect(200)).text);
        for (const u of Object.keys(man)) {
          const ev = (await s.request().get(`/api1/collections/${C}/exports/misp/${u}.json`).set('Authorization', auth).expect(200)).text;
          for (const m of ev.matchAll(/[a-z0-9-]+--[0-9a-f-]{36}/g)) expect(seenIds.has(m[0])).toBe(true);
          for (const v of JSON.parse(ev).Event.Attribute) expect(want).toContain(v.value);
        }
        const ch = JSON.parse((await s.request().get(`/api1/collections/${C}/changes/?limit=1000`).set('Accept', TAXII).set('Authorization', auth).expect(200)).text).changes as Array<{ id: string }>;
        for (const c of ch) expect(seenIds.has(c.id)).toBe(true);
        expect(Object.keys(man).length).toBeGreaterThan(0);
        expect(lst.length).toBeGreaterThan(0);
      } finally {
        await s.close();
      }
    });
  }
}
