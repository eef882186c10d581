/**
 * IPv6 spellings of non-public IPv4 addresses that the egress policy must refuse like the address itself:
 * IPv4-compatible (::a.b.c.d, deprecated by RFC 4291 §2.5.5.1, which some stacks still route to IPv4) and
 * 6to4 (2002:AABB:CCDD::/48, RFC 3056, whose relay reaches the embedded IPv4 address).
 */
import { EgressPolicy } from '../../src/changes/egress';
import { IDS, startTestServer, TAXII, ADMIN_AUTH } from '../helpers/server';

const policy = new EgressPolicy();

test.each(['::7f00:1', '::127.0.0.1', '::a9fe:a9fe', '::10.0.0.1', '2002:7f00:1::', '2002:7f00:1::1', '2002:a9fe:a9fe::', '2002:c0a8:101:0:0:0:0:1', '2002:a00:1::5', '2002::'])(
  'When a receiver is at %s (an IPv6 form of a refused IPv4 address), Then it is refused',
  (address) => {
    expect(policy.refusal(address)).toMatch(/is not a public address/);
  },
);

test.each(['2002:808:808::1', '::8.8.8.8', '2606:4700:4700::1111', '2a00:1450:4001::'])('When a receiver is at the public IPv6 address %s, Then it is allowed', (address) => {
  expect(policy.refusal(address)).toBeUndefined();
});

test('When an operator allows 127.0.0.0/8, Then its 6to4 form is allowed too; an allowed ::1 stays allowed', () => {
  expect(new EgressPolicy(['127.0.0.0/8']).refusal('2002:7f00:1::')).toBeUndefined();
  expect(new EgressPolicy(['::1']).refusal('::1')).toBeUndefined();
  expect(new EgressPolicy(['::1']).refusal('::')).toBeDefined();
  expect(new EgressPolicy(['fd00::/8']).refusal('::ffff:10.0.0.1')).toBeDefined();
});

test('When a subscription names such a literal address, Then 400 and nothing is subscribed', async () => {
  const s = await startTestServer();
  try {
    for (const url of ['http://[::7f00:1]/', 'http://[::127.0.0.1]:8080/', 'http://[2002:7f00:1::]/', 'http://[2002:a9fe:a9fe::]/latest/meta-data']) {
      const r = await s.request().post(`/api1/collections/${IDS.public}/webhooks/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(JSON.stringify({ url }));
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text).description).toMatch(/not a public address/);
    }
    const listed = await s.request().get(`/api1/collections/${IDS.public}/webhooks/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    expect(JSON.parse(listed.text).webhooks).toEqual([]);
  } finally {
    await s.close();
  }
});
