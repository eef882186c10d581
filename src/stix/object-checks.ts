/**
 * Helpers of the object checks: empty-list walks (§2.12), hash names (§2.7), selectors (§7.2.3.1) and
 * finding builders for language tags and open vocabularies.
 */
import { OPEN_VOCABULARIES } from './vocabularies';
import { isLowercaseHyphenated } from './shoulds';
import { isObject, propName, ptr, truncate, type Obj } from './schema-findings';
import type { Finding } from './validation-result';

const HASH_VOCAB = OPEN_VOCABULARIES['hash-algorithm-ov'];
const normaliseHashName = (h: string): string => h.toLowerCase().replace(/[-_]/g, '');
const HASH_BY_NORMALISED = new Map([...HASH_VOCAB].map((h) => [normaliseHashName(h), h]));

export function langFinding(pointer: string, name: string, tag: string): Finding {
  return {
    pointer, rule: 'lang.tag',
    message: `${name} must be an RFC 5646 language tag such as "en", "ko" or "zh-Hans" (got ${JSON.stringify(truncate(tag))}); fix the tag`,
  };
}

/** Walk depth for custom content; deeper nesting is left unchecked rather than risk the stack. */
const MAX_LIST_DEPTH = 32;

export function hasEmptyList(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || depth > MAX_LIST_DEPTH) return false;
  if (Array.isArray(value)) {
    if (value.length === 0) return true;
    for (let i = 0; i < value.length; i++) if (hasEmptyList(value[i], depth + 1)) return true;
    return false;
  }
  const o = value as Obj;
  for (const key in o) if (hasEmptyList(o[key], depth + 1)) return true;
  return false;
}

export function findEmptyLists(value: unknown, pointer: string, depth: number, errors: Finding[]): void {
  if (typeof value !== 'object' || value === null || depth > MAX_LIST_DEPTH) return;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      errors.push({ pointer, rule: 'list.empty', message: `${propName(pointer)} must not be an empty list (STIX 2.1 §2.12); remove it or add a value` });
      return;
    }
    for (let i = 0; i < value.length; i++) if (typeof value[i] === 'object') findEmptyLists(value[i], pointer + '/' + i, depth + 1, errors);
    return;
  }
  const o = value as Obj;
  for (const key in o) if (typeof o[key] === 'object') findEmptyLists(o[key], pointer + ptr(key), depth + 1, errors);
}

/**
 * §10 open vocabularies: a value SHOULD be chosen from the suggested vocabulary but MAY be any other string,
 * and values not from the vocabulary SHOULD be all lowercase with hyphens between words. A value that is a
 * suggested one spelt differently ("Financial Services") gets `vocab.open`; any other value outside the
 * vocabulary is allowed by that MAY and only its spelling is checked (`vocab.format`).
 */
export function vocabFinding(pointer: string, prop: string, value: string, vocabName: string): Finding | undefined {
  const vocab = OPEN_VOCABULARIES[vocabName as keyof typeof OPEN_VOCABULARIES];
  if (vocab.has(value)) return undefined;
  const lower = value.toLowerCase();
  const normalised = lower.split(' ').join('-').split('_').join('-');
  if (vocab.has(normalised) || vocab.has(lower)) {
    const exact = vocab.has(normalised) ? normalised : lower;
    return { pointer, rule: 'vocab.open', message: `${prop} value "${truncate(value)}" should be written "${exact}", exactly as in the ${vocabName} vocabulary (STIX 2.1 §10)` };
  }
  if (!isLowercaseHyphenated(value)) {
    return { pointer, rule: 'vocab.format', message: `${prop} value "${truncate(value)}" is not in ${vocabName}; values outside a suggested vocabulary should be all lowercase with hyphens between words (STIX 2.1 §2.13), e.g. "${truncate(normalised)}"` };
  }
  return undefined;
}

export function checkHashNames(hashes: Obj, pointer: string, warnings: Finding[]): void {
  for (const name of Object.keys(hashes)) {
    if (HASH_VOCAB.has(name)) continue;
    const canonical = HASH_BY_NORMALISED.get(normaliseHashName(name));
    if (canonical) {
      warnings.push({ pointer: pointer + ptr(name), rule: 'hashes.algorithm-name', message: `hash name "${name}" should be written "${canonical}" exactly as in hash-algorithm-ov` });
    } else if (!name.startsWith('x_')) {
      warnings.push({ pointer: pointer + ptr(name), rule: 'hashes.custom-name', message: `hash name "${truncate(name)}" is not in hash-algorithm-ov; a custom hash name should start with "x_" (STIX 2.1 §2.7)` });
    }
  }
}

/** §7.2.3.1 selector syntax: dot-separated property names and `[n]` list indexes, e.g. "external_references.[0].url". */
export function selectorResolves(object: Obj, selector: string): boolean {
  let cur: unknown = object;
  for (const part of selector.split('.')) {
    if (part.length >= 3 && part.charCodeAt(0) === 91 && part.charCodeAt(part.length - 1) === 93) {
      const digits = part.slice(1, -1);
      if (!/^\d+$/.test(digits) || !Array.isArray(cur)) return false;
      const idx = Number(digits);
      if (idx >= cur.length) return false;
      cur = cur[idx];
    } else {
      if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, part)) return false;
      cur = cur[part];
    }
  }
  return true;
}
