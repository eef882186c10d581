/**
 * Timestamps. `date_added` is held as integer microseconds since the epoch (exact, index-friendly,
 * below 2^53 until the year 2255); STIX version keys are normalised to nanosecond-width text so that
 * text order is time order.
 */

export interface ParsedTimestamp {
  /** Whole seconds since the epoch, UTC. */
  seconds: number;
  /** Nanoseconds within the second. */
  nanos: number;
  /** Whether the text ended in Z (STIX requires it). */
  utcZ: boolean;
}

/**
 * RFC 3339 text (`YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, `T` and `Z` in either case) → its instant, or
 * undefined when the text is not one or names no real date. Read character by character with the calendar
 * computed, not through a regular expression and a Date: every object of an ingest has its version key
 * taken from it, and the regular expression's captures and the Date's setters were 3 % of the main thread's
 * CPU (docs/performance.md, "twenty-first pass"). test/unit/common/time.test.ts holds it equal to the regular
 * expression and Date over generated texts.
 */
export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  if (typeof text !== 'string') return undefined;
  const n = text.length;
  if (n < 20 || n > 40) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if ((year | month | day | hour | minute | second) < 0) return undefined;
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) return undefined;
  const t = text.charCodeAt(10);
  if (t !== 84 /* T */ && t !== 116 /* t */) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return undefined;
  let i = 19;
  let nanos = 0;
  if (text.charCodeAt(i) === 46 /* . */) {
    const start = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    const width = i - start;
    if (width < 1 || width > 9) return undefined;
    nanos = digits(text, start, width) * 10 ** (9 - width);
  }
  let seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
  const z = text.charCodeAt(i);
  if (z === 90 /* Z */ || z === 122 /* z */) return i + 1 === n ? { seconds, nanos, utcZ: true } : undefined;
  if ((z !== 43 /* + */ && z !== 45 /* - */) || i + 6 !== n || text.charCodeAt(i + 3) !== COLON) return undefined;
  const oh = digits(text, i + 1, 2);
  const om = digits(text, i + 4, 2);
  if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
  const offset = (oh * 60 + om) * 60;
  seconds -= z === 43 ? offset : -offset;
  return { seconds, nanos, utcZ: false };
}

const DASH = 45;
const COLON = 58;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The number the `width` ASCII digits at `at` spell, or -1 if any is not a digit. */
export function digits(text: string, at: number, width: number): number {
  let v = 0;
  for (let k = at; k < at + width; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** Days in a month (1-12) of the proleptic Gregorian calendar (as Date counts them). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** RFC 3339 text → microseconds since the epoch, rounding sub-microsecond digits down. */
export function timestampToMicros(text: string): number | undefined {
  const p = parseTimestamp(text);
  return p ? p.seconds * 1_000_000 + Math.floor(p.nanos / 1000) : undefined;
}

/** Microseconds since the epoch → `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function microsToTimestamp(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const micros = String(us % 1000).padStart(3, '0');
  return `${iso.slice(0, 23)}${micros}Z`;
}

/** The version key of a text microsToTimestamp wrote (`versionKey(stamp)`, without parsing it again). */
export function stampVersionKey(stamp: string): string {
  return `${stamp.slice(0, 26)}000Z`;
}

/** A version key: the timestamp in UTC with nine fractional digits, so that text order is time order. */
export function versionKey(text: string): string | undefined {
  const p = parseTimestamp(text);
  if (!p) return undefined;
  const nanos = String(p.nanos).padStart(9, '0');
  // Already in UTC: the key keeps the text's own fields, so a leap second (:60) sorts after :59 of its
  // minute and before the next minute, instead of colliding with it (or, on 9999-12-31, leaving year 9999).
  if (p.utcZ) return `${text.slice(0, 10)}T${text.slice(11, 19)}.${nanos}Z`;
  const utc = new Date(p.seconds * 1000);
  const year = utc.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  return `${utc.toISOString().slice(0, 19)}.${nanos}Z`;
}

/**
 * The wall clock in microseconds (millisecond resolution). Clients compare `date_added` with their own
 * clocks and with the objects' timestamps (an `added_after` taken from the newest `modified` they hold), so it
 * must follow the system's clock: `performance.timeOrigin + performance.now()` is the monotonic clock
 * anchored once at process start, and it parts from the wall clock when the system's clock is stepped
 * (NTP, a virtual machine resumed), by seconds in a long-running server.
 */
export function nowMicros(): number {
  return Date.now() * 1000;
}

export const MICROS_PER_MS = 1000;

export function floorToMs(us: number): number {
  return us - (us % MICROS_PER_MS);
}

export function ceilToMs(us: number): number {
  const r = us % MICROS_PER_MS;
  return r === 0 ? us : us - r + MICROS_PER_MS;
}
