/**
 * RFC 5646 (BCP 47) well-formedness of a language tag, as STIX 2.1 requires for `lang` (§3.2, §7.2.3)
 * and the keys of a language-content's `contents` (§7.1). One left-to-right pass over the subtags, no
 * regular expression and no allocation (except lower-casing the few tags that can only be irregular
 * grandfathered ones), so the cost is linear in the tag's length whatever the input.
 */

/** RFC 5646 §2.2.8: the irregular grandfathered tags, which do not follow the langtag syntax. */
const IRREGULAR: ReadonlySet<string> = new Set([
  'en-gb-oed', 'i-ami', 'i-bnn', 'i-default', 'i-enochian', 'i-hak', 'i-klingon', 'i-lux', 'i-mingo', 'i-navajo',
  'i-pwn', 'i-tao', 'i-tay', 'i-tsu', 'sgn-be-fr', 'sgn-be-nl', 'sgn-ch-de',
]);

const ALPHA = 1;
const DIGIT = 2;

function charClass(c: number): number {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return ALPHA;
  if (c >= 0x30 && c <= 0x39) return DIGIT;
  return 0;
}

// Where the scan is: what may come next.
const LANGUAGE = 0; // after a 2-3 letter language: extlang, script, region, variant, extension, private use
const SCRIPT = 1; // after a 4-8 letter language or the extlangs
const REGION = 2;
const VARIANT = 3;
const SINGLETON = 4; // an extension singleton was read; it needs at least one 2-8 character subtag
const EXTENSION = 5;
const PRIVATE_START = 6; // "x" was read; it needs at least one 1-8 character subtag
const PRIVATE = 7;

/** Whether `tag` is a well-formed RFC 5646 language tag (case-insensitive), e.g. "en", "zh-Hans-CN", "de-CH-1996". */
export function isLanguageTag(tag: string): boolean {
  return isLangtag(tag) || isIrregular(tag);
}

/** The langtag and privateuse productions of RFC 5646 §2.1. */
function isLangtag(tag: string): boolean {
  const n = tag.length;
  if (n === 0) return false;
  let state = -1;
  let extlangs = 0;
  let start = 0;
  while (start <= n) {
    // Read one subtag [start, end) and classify it.
    let end = start;
    let letters = 0;
    let digits = 0;
    while (end < n && tag.charCodeAt(end) !== 0x2d) {
      const k = charClass(tag.charCodeAt(end));
      if (k === 0) return false;
      if (k === ALPHA) letters++;
      else digits++;
      end++;
    }
    const len = end - start;
    if (len === 0 || len > 8) return false;
    const first = tag.charCodeAt(start) | 0x20;
    if (state === -1) {
      if (len === 1) {
        if (first !== 0x78) return false;
        state = PRIVATE_START;
      } else if (letters !== len) return false;
      else state = len <= 3 ? LANGUAGE : SCRIPT;
    } else if (state === PRIVATE_START || state === PRIVATE) {
      state = PRIVATE;
    } else if (state === SINGLETON || (state === EXTENSION && len >= 2)) {
      if (len < 2) return false;
      state = EXTENSION;
    } else if (state === LANGUAGE && len === 3 && letters === 3 && extlangs < 3) {
      extlangs++;
    } else if (state <= SCRIPT && len === 4 && letters === 4) {
      state = REGION;
    } else if (state <= REGION && ((len === 2 && letters === 2) || (len === 3 && digits === 3))) {
      state = VARIANT;
    } else if (state <= VARIANT && (len >= 5 || (len === 4 && charClass(tag.charCodeAt(start)) === DIGIT))) {
      state = VARIANT;
    } else if (len === 1) {
      state = first === 0x78 ? PRIVATE_START : SINGLETON;
    } else {
      return false;
    }
    start = end + 1;
  }
  return state !== SINGLETON && state !== PRIVATE_START;
}

function isIrregular(tag: string): boolean {
  return tag.length <= 11 && IRREGULAR.has(tag.toLowerCase());
}
