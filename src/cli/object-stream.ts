/**
 * Streams the members of the top-level "objects" array of a STIX bundle or TAXII envelope, each as its
 * exact JSON text, without holding the document in memory: files of any size are read chunk by chunk.
 * Only the structure is tracked here (strings, nesting, the top-level keys); each member's own syntax is
 * checked by whoever parses it. The other top-level values (type, id, more, next ...) are kept as parsed
 * JSON so that the container can be checked as a whole document would be.
 */
export class DocumentShapeError extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJ = 123;
const CLOSE_OBJ = 125;
const OPEN_ARR = 91;
const CLOSE_ARR = 93;
const COMMA = 44;
const COLON = 58;
const BOM = 0xfeff;
/** A top-level value longer than this (a bundle's are short strings) is kept as an empty value of its JSON type. */
const MAX_TOP_VALUE = 1 << 20;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * A JSON.parse error as one line: V8 quotes a snippet of the input, which can hold line breaks and other
 * control characters; they are escaped, and a long message is cut.
 */
export function jsonErrorMessage(e: unknown): string {
  const text = String((e as Error).message ?? e).replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** JSON text without a leading UTF-8 byte-order mark, which JSON.parse refuses and many editors write. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

export interface StreamedObject {
  text: string;
  /** Zero-based position in the objects array. */
  index: number;
}

/** The top level of the document, filled in as it is read (complete once the stream has ended). */
export interface DocumentShape {
  /** Every top-level member in order; "objects" is listed with the value [] (its members are streamed). */
  members: { key: string; value: unknown }[];
  /** Whether the document has an "objects" array. */
  hasObjects: boolean;
}

/** The value of a top-level key (the last one, as JSON.parse keeps), or undefined. */
export function topLevel(shape: DocumentShape, key: string): unknown {
  for (let i = shape.members.length - 1; i >= 0; i--) if (shape.members[i]!.key === key) return shape.members[i]!.value;
  return undefined;
}

/** The document with an empty "objects" list (if it has one): what JSON.parse would give without the members. */
export function skeleton(shape: DocumentShape): Record<string, unknown> {
  return JSON.parse(`{${shape.members.map((m) => `${JSON.stringify(m.key)}:${JSON.stringify(m.value)}`).join(',')}}`) as Record<string, unknown>;
}

/**
 * Yields every member of "objects". Throws DocumentShapeError when the document is not a JSON object,
 * has no "objects" array (a bundle may leave it out: STIX 2.1 §8), a top-level value is not JSON, or it
 * ends early. `shape`, if given, receives the top-level members.
 */
export async function* streamObjects(chunks: AsyncIterable<string | Buffer>, shape: DocumentShape = { members: [], hasObjects: false }): AsyncGenerator<StreamedObject> {
  // Top level: 0 before '{', then inside the top-level object. `depth` counts open brackets.
  let depth = 0;
  let first = true;
  let started = false;
  let ended = false;
  let inString = false;
  let escaped = false;
  // What the top-level object expects next (depth 1); `afterComma` forbids `,}`.
  let top: 'key' | 'colon' | 'value' | 'comma' = 'key';
  let afterComma = false;
  let keyParts: string[] | undefined;
  let keyStart = -1;
  let lastKey = '';
  let inObjectsArray = false;
  // The current top-level value other than "objects" (kept whole up to MAX_TOP_VALUE).
  let value: { key: string; parts: string[]; length: number; first: number; scalar: boolean } | undefined;
  let valueStart = -1;
  // The current member (depth 2 inside "objects").
  let member: string[] | undefined;
  let memberStart = -1;
  let index = 0;
  let offset = 0;

  const endValue = (s: string, end: number) => {
    const v = value!;
    value = undefined;
    let parsed: unknown;
    if (v.length + end - valueStart > MAX_TOP_VALUE) {
      parsed = v.first === QUOTE ? '' : v.first === OPEN_OBJ ? {} : v.first === OPEN_ARR ? [] : null;
    } else {
      try {
        parsed = JSON.parse(v.parts.join('') + s.slice(valueStart, end));
      } catch (e) {
        throw new DocumentShapeError(`the value of the top-level "${v.key}" is not valid JSON (${jsonErrorMessage(e)})`);
      }
    }
    shape.members.push({ key: v.key, value: parsed });
    top = 'comma';
  };

  for await (const raw of chunks) {
    const s = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (member) memberStart = 0;
    if (keyParts) keyStart = 0;
    if (value) valueStart = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (first) {
        first = false;
        if (c === BOM) continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (keyParts) {
            keyParts.push(s.slice(keyStart, i + 1));
            try {
              lastKey = JSON.parse(keyParts.join('')) as string;
            } catch {
              throw new DocumentShapeError(`a key of the top-level object is not a valid JSON string (near character ${offset + i})`);
            }
            keyParts = undefined;
          } else if (member && depth === 2) {
            yield { text: member.join('') + s.slice(memberStart, i + 1), index: index++ };
            member = undefined;
          } else if (value && depth === 1) endValue(s, i + 1);
        }
        continue;
      }
      if (value?.scalar && (isSpace(c) || c === COMMA || c === CLOSE_OBJ)) endValue(s, i);
      if (isSpace(c)) continue;
      if (!started) {
        if (c !== OPEN_OBJ) throw new DocumentShapeError('the document is not a JSON object; expected a STIX bundle or a TAXII envelope {"objects": [...]}');
        started = true;
        depth = 1;
        continue;
      }
      if (ended) throw new DocumentShapeError(`unexpected content after the end of the document (near character ${offset + i})`);
      if (depth === 1) {
        if (value) continue; // the rest of a number, true, false or null
        if (top === 'key') {
          if (c === CLOSE_OBJ && !afterComma) {
            depth = 0;
            ended = true;
          } else if (c === QUOTE) {
            inString = true;
            keyParts = [];
            keyStart = i;
            top = 'colon';
          } else throw new DocumentShapeError(`expected a key in the top-level object (near character ${offset + i})`);
          continue;
        }
        if (top === 'colon') {
          if (c !== COLON) throw new DocumentShapeError(`expected ':' after the top-level key "${lastKey}" (near character ${offset + i})`);
          top = 'value';
          continue;
        }
        if (top === 'comma') {
          if (c === COMMA) {
            top = 'key';
            afterComma = true;
          } else if (c === CLOSE_OBJ) {
            depth = 0;
            ended = true;
          } else throw new DocumentShapeError(`expected ',' or '}' after the top-level "${shape.members.at(-1)?.key ?? ''}" (near character ${offset + i})`);
          continue;
        }
        if (lastKey === 'objects') {
          if (c !== OPEN_ARR) throw new DocumentShapeError('"objects" must be an array of STIX objects');
          inObjectsArray = true;
          shape.hasObjects = true;
          shape.members.push({ key: 'objects', value: [] });
          depth = 2;
          lastKey = '';
          continue;
        }
        // Any other top-level value: kept, tracking nesting and strings to find its end.
        value = { key: lastKey, parts: [], length: 0, first: c, scalar: c !== QUOTE && c !== OPEN_OBJ && c !== OPEN_ARR };
        valueStart = i;
        lastKey = '';
        if (c === QUOTE) inString = true;
        else if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
        continue;
      }
      if (depth === 2 && inObjectsArray && !member) {
        if (c === COMMA) continue;
        if (c === CLOSE_ARR) {
          inObjectsArray = false;
          depth = 1;
          top = 'comma';
          continue;
        }
        member = [];
        memberStart = i;
        if (c === QUOTE) inString = true;
        else if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
        else throw new DocumentShapeError(`objects[${index}] is not a STIX object (a JSON object); fix or remove it`);
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
      else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        depth--;
        if (member && depth === 2) {
          yield { text: member.join('') + s.slice(memberStart, i + 1), index: index++ };
          member = undefined;
        } else if (value && depth === 1) endValue(s, i + 1);
        else if (depth < 1) throw new DocumentShapeError(`unbalanced brackets (near character ${offset + i})`);
      }
    }
    if (member) member.push(s.slice(memberStart));
    if (keyParts) keyParts.push(s.slice(keyStart));
    if (value) {
      const rest = s.length - valueStart;
      if (value.length + rest <= MAX_TOP_VALUE) value.parts.push(s.slice(valueStart));
      value.length += rest;
    }
    offset += s.length;
  }
  if (!started) throw new DocumentShapeError('the document is empty; expected a STIX bundle or a TAXII envelope');
  if (!ended) throw new DocumentShapeError('the document ends early: it is cut off or its brackets do not balance');
  if (!shape.hasObjects && topLevel(shape, 'type') !== 'bundle') {
    throw new DocumentShapeError('the document has no "objects" array; expected a STIX bundle or a TAXII envelope {"objects": [...]}');
  }
}
