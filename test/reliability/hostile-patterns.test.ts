/**
 * Pathological STIX patterns are refused with a message naming the limit they exceed; parsing them never
 * overflows the stack or answers 500.
 */
import { parsePattern, PatternSyntaxError, PATTERN_LIMITS } from '../../src/stix/pattern/parser';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

// Each posted pattern is up to 700 KB: generous on a machine shared with other busy processes.
jest.setTimeout(120_000);

const obs = (i: number): string => `[ipv4-addr:value = '10.0.${(i >> 8) & 255}.${i & 255}']`;
const cmp = (i: number): string => `ipv4-addr:value = '10.0.${(i >> 8) & 255}.${i & 255}'`;

const HOSTILE: Record<string, { pattern: string; limit: RegExp }> = {
  '10,000 ORed observation expressions': { pattern: Array.from({ length: 10_000 }, (_, i) => obs(i)).join(' OR '), limit: /observation expressions/ },
  '10,000 ANDed observation expressions': { pattern: Array.from({ length: 10_000 }, (_, i) => obs(i)).join(' AND '), limit: /observation expressions/ },
  '10,000 FOLLOWEDBY observation expressions': { pattern: Array.from({ length: 10_000 }, (_, i) => obs(i)).join(' FOLLOWEDBY '), limit: /observation expressions/ },
  '10,000 ORed comparisons': { pattern: `[${Array.from({ length: 10_000 }, (_, i) => cmp(i)).join(' OR ')}]`, limit: /comparison expressions/ },
  '10,000 ANDed comparisons': { pattern: `[${Array.from({ length: 10_000 }, (_, i) => cmp(i)).join(' AND ')}]`, limit: /comparison expressions/ },
  // One qualifier of a kind per observation expression (§9.6), so the qualifiers are spread over ANDed observations.
  '10,000 REPEATS qualifiers': { pattern: Array.from({ length: 10_000 }, (_, i) => obs(i) + ' REPEATS 2 TIMES').join(' AND '), limit: /qualifiers/ },
  '10,000 WITHIN qualifiers': { pattern: Array.from({ length: 10_000 }, (_, i) => obs(i) + ' WITHIN 2 SECONDS').join(' AND '), limit: /qualifiers/ },
  '10,000 START/STOP qualifiers': {
    pattern: Array.from({ length: 10_000 }, (_, i) => obs(i) + " START t'2024-01-01T00:00:00Z' STOP t'2024-01-02T00:00:00Z'").join(' AND '), limit: /qualifiers/,
  },
  '10,000 nested parentheses': { pattern: '('.repeat(10_000) + obs(1) + ')'.repeat(10_000), limit: /nests deeper/ },
  '10,000 nested comparison parentheses': { pattern: '[' + '('.repeat(10_000) + cmp(1) + ')'.repeat(10_000) + ']', limit: /nests deeper/ },
  'an IN set of 100,000 values': { pattern: `[ipv4-addr:value IN (${Array.from({ length: 100_000 }, (_, i) => `'${i}'`).join(',')})]`, limit: /values in an IN set/ },
  'a path of 10,000 steps': { pattern: `[file:extensions${'.a'.repeat(10_000)} = 'x']`, limit: /steps in an object path/ },
};

describe('parser limits', () => {
  for (const [name, { pattern, limit }] of Object.entries(HOSTILE)) {
    test(`When a pattern has ${name}, Then it is refused with a syntax error naming the limit`, () => {
      let error: unknown;
      try {
        parsePattern(pattern);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PatternSyntaxError);
      expect((error as Error).message).toMatch(limit);
      expect((error as Error).message).toMatch(/limit/);
    });
  }

  test('When a pattern stays at the limits, Then it parses', () => {
    const n = PATTERN_LIMITS.observations;
    expect(() => parsePattern(Array.from({ length: n }, (_, i) => obs(i)).join(' OR '))).not.toThrow();
    expect(() => parsePattern(`[${Array.from({ length: PATTERN_LIMITS.comparisons }, (_, i) => cmp(i)).join(' OR ')}]`)).not.toThrow();
    expect(() => parsePattern(Array.from({ length: PATTERN_LIMITS.qualifiers }, (_, i) => obs(i) + ' REPEATS 2 TIMES').join(' AND '))).not.toThrow();
  });
});

describe('over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  test('When indicators with pathological patterns are posted, Then each is a failure in the status naming the limit, and valid ones are stored', async () => {
    for (const [i, h] of Object.values(HOSTILE).entries()) {
      const r = await s
        .request()
        .post(`/api1/collections/${IDS.writable}/objects/`)
        .set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH })
        .send(envelope([indicator(i + 1, { pattern: h.pattern }), indicator(1000 + i)]));
      expect(r.status).toBe(202);
      const status = JSON.parse(r.text);
      expect(status).toMatchObject({ success_count: 1, failure_count: 1 });
      expect(status.failures[0].message).toMatch(h.limit);
    }
  });

  test('When an indicator’s pattern is at the limits, Then it is stored', async () => {
    const pattern = Array.from({ length: PATTERN_LIMITS.observations }, (_, i) => (i < PATTERN_LIMITS.qualifiers ? obs(i) + ' REPEATS 2 TIMES' : obs(i))).join(' OR ');
    const r = await s
      .request()
      .post(`/api1/collections/${IDS.writable}/objects/`)
      .set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH })
      .send(envelope([indicator(5000, { pattern })]));
    expect(JSON.parse(r.text)).toMatchObject({ success_count: 1, failure_count: 0 });
  });
});
