/**
 * Timestamps. `date_added` is held as integer microseconds since the epoch (exact, index-friendly,
 * below 2^53 until the year 2255); STIX version keys are normalised to nanosecond-width text so that
 * text order is time order.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export interface ParsedTimestamp {
  /** Whole seconds since the epoch, UTC. */
  seconds: number;
  /** Nanoseconds within the second. */
  nanos: number;
  /** Whether the text ended in Z (STIX requires it). */
  utcZ: boolean;
}

export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  // Not Date.UTC: it reads years 0-99 as 1900-1999.
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, Math.min(second, 59), 0);
  const ms = check.getTime();
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  let seconds = Math.floor(ms / 1000) + (second === 60 ? 1 : 0);
  if (!z) {
    const offset = (Number(oh) * 60 + Number(om)) * 60;
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    seconds -= sign === '+' ? offset : -offset;
  }
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos, utcZ: Boolean(z) };
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
