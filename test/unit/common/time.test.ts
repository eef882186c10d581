/** parseTimestamp read by hand, held equal to the regular expression and Date it replaced. */
import fc from 'fast-check';
import { microsToTimestamp, parseTimestamp, stampVersionKey, versionKey } from '../../../src/common/time';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** The former implementation: a regular expression, then a Date for the calendar. */
function reference(text: string): ReturnType<typeof parseTimestamp> {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, Math.min(second, 59), 0);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  let seconds = Math.floor(check.getTime() / 1000) + (second === 60 ? 1 : 0);
  if (!z) {
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    const offset = (Number(oh) * 60 + Number(om)) * 60;
    seconds -= sign === '+' ? offset : -offset;
  }
  return { seconds, nanos: frac ? Number(frac.padEnd(9, '0')) : 0, utcZ: Boolean(z) };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Texts shaped like timestamps, with fields out of range, odd separators and fractions of any width. */
const timestampLike = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 99, 100, 1600, 1900, 2000, 2024, 2100, 9999)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    t: fc.constantFrom('T', 't', ' ', 'X'),
    fraction: fc.oneof(fc.constant(''), fc.constant('.'), fc.stringMatching(/^\.\d{1,11}$/)),
    zone: fc.oneof(fc.constantFrom('Z', 'z', '', 'ZZ', '+00:00', '-00:00', '+24:00', '+05:60', '+5:00', '+05:00x', '+0500'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([s, h, m]) => `${s}${pad(h, 2)}:${pad(m, 2)}`)),
  })
  .map((p) => `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}${p.t}${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}${p.fraction}${p.zone}`);

/** The same texts with one character replaced, inserted or removed. */
const mutated = fc.tuple(timestampLike, fc.nat(), fc.constantFrom('', '0', '9', '-', ':', '.', 'Z', 'T', '+', '٣', 'a', ' ')).map(([text, at, c]) => {
  const i = at % (text.length + 1);
  return c === '' ? text.slice(0, i) + text.slice(i + 1) : at % 2 ? text.slice(0, i) + c + text.slice(i) : text.slice(0, i) + c + text.slice(i + 1);
});

describe('parseTimestamp', () => {
  test('When texts shaped like timestamps are parsed, Then the result is what the regular expression and Date gave', () => {
    fc.assert(
      fc.property(timestampLike, (text) => {
        expect(parseTimestamp(text)).toEqual(reference(text));
      }),
      { numRuns: 10_000 },
    );
  });

  test('When such texts are mangled by one character, Then the result is still what the regular expression and Date gave', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        expect(parseTimestamp(text)).toEqual(reference(text));
      }),
      { numRuns: 10_000 },
    );
  });

  test('When arbitrary strings are parsed, Then the result is what the regular expression and Date gave', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 45 }), (text) => {
        expect(parseTimestamp(text)).toEqual(reference(text));
      }),
      { numRuns: 5_000 },
    );
  });

  test.each([
    ['2024-02-29T00:00:00Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2000-02-29T00:00:00Z', true],
    ['1900-02-29T00:00:00Z', false],
    ['0000-02-29T00:00:00Z', true],
    ['2024-04-31T00:00:00Z', false],
    ['2016-12-31T23:59:60Z', true],
    ['0000-01-01T00:00:00+00:01', true],
    ['9999-12-31T23:59:59.999999999Z', true],
  ])('When %s is parsed, Then it is accepted: %s, as Date counts the calendar', (text, ok) => {
    expect(parseTimestamp(text) !== undefined).toBe(ok);
    expect(parseTimestamp(text)).toEqual(reference(text));
  });
});

describe('stampVersionKey', () => {
  test('When a server-assigned timestamp is keyed, Then the key is the one versionKey reads from its text', () => {
    fc.assert(
      fc.property(fc.maxSafeNat().map((n) => n % 253_402_300_800_000_000), (us) => {
        const stamp = microsToTimestamp(us);
        expect(stampVersionKey(stamp)).toBe(versionKey(stamp));
      }),
      { numRuns: 2_000 },
    );
  });
});
