/**
 * One IPv6 address has many spellings (leading zeros, :: or not, a dotted IPv4 tail); a block list holds each value
 * once, so every spelling is written in the canonical form of RFC 5952 (lower case, zeros compressed), as the
 * lists, CSV and MISP attribute UUIDs need one value per address.
 */
import { valuesOf, valuesOfPattern } from '../../src/exports/values';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII } from '../helpers/server';

test.each([
  ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
  ['2001:0db8:0000::0001', '2001:db8::1'],
  ['::FFFF:1.2.3.4', '::ffff:102:304'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['2001:DB8:0:0::/32', '2001:db8::/32'],
  ['fe80::1', 'fe80::1'],
])('When an IPv6 value is spelt %s, Then the lists take it as %s', (spelt, canonical) => {
  expect(valuesOf({ type: 'ipv6-addr', value: spelt })).toEqual([{ type: 'ipv6', value: canonical }]);
  expect(valuesOfPattern(`[ipv6-addr:value = '${spelt}']`)).toEqual([{ type: 'ipv6', value: canonical }]);
});

test.each(['fe80::1%eth0', 'fe80::1%25eth0', 'fe80::1%eth0/64'])('When an IPv6 value carries a zone (%s), Then no list takes it (it names an interface of another host)', (spelt) => {
  expect(valuesOf({ type: 'ipv6-addr', value: spelt })).toEqual([]);
  expect(valuesOfPattern(`[ipv6-addr:value = '${spelt}']`)).toEqual([]);
});

test('When indicators give one IPv6 address in several spellings, Then the ipv6 list holds it once', async () => {
  const s = await startTestServer();
  try {
    const spellings = ['2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:0db8::0001'];
    const objects = spellings.map((v, i) => indicator(i + 1, { pattern: `[ipv6-addr:value = '${v}']` }));
    await s.request().post(`/api1/collections/${IDS.public}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(objects)).expect(202);
    const list = await s.request().get(`/api1/collections/${IDS.public}/exports/lists/ipv6`).expect(200);
    expect(list.text).toBe('2001:db8::1\n');
  } finally {
    await s.close();
  }
});
