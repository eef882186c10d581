import { timestampToMicros } from '../../../src/common/time';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';

/**
 * The date_added gaps a reader sees no longer count the versions hidden from it: with the old dense counter
 * (+1 µs per version of a request), two TLP:GREEN versions posted with 20 TLP:RED ones between them were
 * always exactly 21 µs apart.
 */
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const C = IDS.writable;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await addUser(s.rt, 'green-reader', 'green-reader-pw', { tlp: 'green', grants: { [C]: ['read'] } });
});
afterAll(() => s.close());

test('When requests each hold two TLP:GREEN versions around 20 TLP:RED ones, Then the gaps a TLP:GREEN reader sees do not give the number of hidden versions', async () => {
  const gaps: number[] = [];
  for (let r = 0; r < 6; r++) {
    const base = 9700 + r * 30;
    const objects = [indicator(base, { object_marking_refs: [GREEN] }), ...Array.from({ length: 20 }, (_, i) => indicator(base + 1 + i, { object_marking_refs: [RED] })), indicator(base + 25, { object_marking_refs: [GREEN] })];
    const posted = await s.request().post(`/api1/collections/${C}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(objects));
    expect(JSON.parse(posted.text).success_count).toBe(22);
    const ids = [objects[0]!.id, objects[21]!.id].join(',');
    const m = await s.request().get(`/api1/collections/${C}/manifest/?match[id]=${ids}`).set('Accept', TAXII).set('Authorization', basic('green-reader', 'green-reader-pw'));
    const entries: Array<{ date_added: string }> = JSON.parse(m.text).objects;
    expect(entries).toHaveLength(2);
    gaps.push(timestampToMicros(entries[1]!.date_added)! - timestampToMicros(entries[0]!.date_added)!);
  }
  for (const g of gaps) expect(g).toBeGreaterThan(0);
  expect(gaps.filter((g) => g === 21).length).toBeLessThan(gaps.length);
  expect(new Set(gaps).size).toBeGreaterThan(1);
});
