/**
 * A block list is applied by firewalls as it is: one bad indicator (0.0.0.0/0, a /1, loopback) must not make
 * every consumer block the whole internet or its own host. Such values stay out of the lists, CSV and MISP (all
 * read valuesOf); narrower networks and ordinary addresses stay in.
 */
import { valuesOf, valuesOfPattern } from '../../src/exports/values';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII } from '../helpers/server';

test.each([
  ['ipv4-addr', '0.0.0.0/0'],
  ['ipv4-addr', '64.0.0.0/2'],
  ['ipv4-addr', '10.0.0.0/7'],
  ['ipv4-addr', '0.0.0.0'],
  ['ipv4-addr', '127.0.0.1'],
  ['ipv4-addr', '127.0.0.0/8'],
  ['ipv6-addr', '::/0'],
  ['ipv6-addr', '2000::/3'],
  ['ipv6-addr', '2001::/15'],
  ['ipv6-addr', '::'],
  ['ipv6-addr', '0:0:0:0:0:0:0:1'],
])('When a %s value is %s, Then no list takes it', (type, value) => {
  expect(valuesOf({ type, value })).toEqual([]);
  expect(valuesOfPattern(`[${type}:value = '${value}']`)).toEqual([]);
});

test.each([
  ['ipv4-addr', '10.0.0.0/8', 'ipv4', '10.0.0.0/8'],
  ['ipv4-addr', '175.45.178.19', 'ipv4', '175.45.178.19'],
  ['ipv4-addr', '128.0.0.1', 'ipv4', '128.0.0.1'],
  ['ipv6-addr', '2001:db8::/32', 'ipv6', '2001:db8::/32'],
  ['ipv6-addr', '2001::/16', 'ipv6', '2001::/16'],
  ['ipv6-addr', '::2', 'ipv6', '::2'],
])('When a %s value is %s, Then the lists still take it', (type, value, listType, listed) => {
  expect(valuesOf({ type, value })).toEqual([{ type: listType, value: listed }]);
  expect(valuesOfPattern(`[${type}:value = '${value}']`)).toEqual([{ type: listType, value: listed }]);
});

test('When an indicator names 0.0.0.0/0 beside a real address, Then the list and CSV carry only the address, and the bundle still carries the indicator', async () => {
  const s = await startTestServer();
  try {
    const objects = [indicator(1, { pattern: "[ipv4-addr:value = '0.0.0.0/0'] OR [ipv4-addr:value = '175.45.178.19']" }), indicator(2, { pattern: "[ipv4-addr:value = '127.0.0.1']" })];
    await s.request().post(`/api1/collections/${IDS.public}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(objects)).expect(202);
    const base = `/api1/collections/${IDS.public}/exports`;
    expect((await s.request().get(`${base}/lists/ipv4`).expect(200)).text).toBe('175.45.178.19\n');
    const csv = (await s.request().get(`${base}/csv`).expect(200)).text;
    expect(csv).toContain('175.45.178.19');
    expect(csv).not.toContain('0.0.0.0/0');
    expect(csv).not.toContain('127.0.0.1');
    const bundle = (await s.request().get(`${base}/stix/bundle.json`).expect(200)).text;
    expect(bundle).toContain('0.0.0.0/0');
  } finally {
    await s.close();
  }
});
