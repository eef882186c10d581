/** stringifyParts (large status resources serialised in slices) gives exactly JSON.stringify's text. */
import { stringifyParts } from '../../../src/common/event-loop';

const detail = (i: number) => ({ id: `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, version: '2024-01-01T00:00:00.000Z', message: i % 7 ? 'stored' : 'rejected: "quoted" \\ \u2028' });

test.each([
  ['a small status', { id: 'x', status: 'complete', total_count: 1, successes: [detail(1)], failures: [], pendings: [] }],
  ['a status with 10,001 details', { id: 'y', status: 'pending', successes: Array.from({ length: 10_001 }, (_, i) => detail(i)), failures: [], pending_count: 3, pendings: [detail(1), detail(2), detail(3)] }],
  ['exactly one slice and one more', { a: Array.from({ length: 500 }, (_, i) => i), b: Array.from({ length: 501 }, (_, i) => i), u: undefined, n: null }],
  ['long arrays first and last, with astral characters', { successes: Array.from({ length: 1_200 }, (_, i) => ({ ...detail(i), message: `🐉 ${i}` })), f: () => 1, pendings: Array.from({ length: 1_001 }, (_, i) => detail(i)) }],
  ['no properties at all', {}],
])('When %s is serialised in slices, Then the text equals JSON.stringify', async (_name, value) => {
  const parts = await stringifyParts(value as Record<string, unknown>);
  expect(parts.join('')).toBe(JSON.stringify(value));
  // Each part stands on its own: none ends inside a string or splits a character.
  for (const part of parts) expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
});
