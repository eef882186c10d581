/**
 * STIX 2.1 §2.13 timestamps: RFC 3339, UTC, upper-case `Z`, optional fractional seconds.
 * A hand-written scanner instead of a regex so the calendar (month length, leap years) is checked too
 * and hostile input costs one linear pass.
 */

import { daysInMonth, digits } from '../common/time';

/** Number of fractional-second digits, or -1 when `s` is not a valid STIX timestamp. */
export function timestampFractionDigits(s: string): number {
  const len = s.length;
  if (len < 20 || len > 64) return -1;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return -1;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0) return -1;
  if (day > daysInMonth(year, month)) return -1;
  // RFC 3339 §5.6 allows a leap second, which can only occur at 23:59:60 UTC.
  if (second > 60 || (second === 60 && (hour !== 23 || minute !== 59))) return -1;
  if (s.charCodeAt(len - 1) !== 90) return -1;
  if (len === 20) return 0;
  if (s.charCodeAt(19) !== 46 || len === 21) return -1;
  for (let i = 20; i < len - 1; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return len - 21;
}

export function isStixTimestamp(s: string): boolean {
  return timestampFractionDigits(s) >= 0;
}

/** §3.2: created and modified MUST be precise to the nearest millisecond. */
export function isStixTimestampMillis(s: string): boolean {
  return timestampFractionDigits(s) >= 3;
}

/**
 * Compares two valid STIX timestamps as instants. Plain string comparison is wrong when the
 * precision differs ("…:00Z" and "…:00.000Z" are the same instant).
 */
export function compareTimestamps(a: string, b: string): number {
  for (let i = 0; i < 19; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const fa = a.length > 20 ? a.slice(20, -1) : '';
  const fb = b.length > 20 ? b.slice(20, -1) : '';
  const n = Math.max(fa.length, fb.length);
  for (let i = 0; i < n; i++) {
    const ca = i < fa.length ? fa.charCodeAt(i) : 48;
    const cb = i < fb.length ? fb.charCodeAt(i) : 48;
    if (ca !== cb) return ca < cb ? -1 : 1;
  }
  return 0;
}
