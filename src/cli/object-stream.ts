/**
 * Streams the members of the top-level "objects" array of a STIX bundle or TAXII envelope, each as its
 * exact JSON text, without holding the document in memory: files of any size are read chunk by chunk.
 * Only the structure is tracked here (strings, nesting, the top-level keys); each member's own syntax is
 * checked by whoever parses it.
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

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

export interface StreamedObject {
  text: string;
  /** Zero-based position in the objects array. */
  index: number;
}

/**
 * Yields every member of "objects". Throws DocumentShapeError when the document is not a JSON object,
 * has no "objects" array, or ends early.
 */
export async function* streamObjects(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<StreamedObject> {
  // Top level: 0 before '{', then inside the top-level object. `depth` counts open brackets.
  let depth = 0;
  let started = false;
  let ended = false;
  let inString = false;
  let escaped = false;
  // Top-level key tracking (depth 1).
  let expectKey = false;
  let keyParts: string[] | undefined;
  let keyStart = -1;
  let lastKey = '';
  let inObjectsArray = false;
  let sawObjects = false;
  // The current member (depth 2 inside "objects").
  let member: string[] | undefined;
  let memberStart = -1;
  let index = 0;
  let offset = 0;

  for await (const raw of chunks) {
    const s = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (member) memberStart = 0;
    if (keyParts) keyStart = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
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
          }
        }
        continue;
      }
      if (isSpace(c)) continue;
      if (!started) {
        if (c !== OPEN_OBJ) throw new DocumentShapeError('the document is not a JSON object; expected a STIX bundle or a TAXII envelope {"objects": [...]}');
        started = true;
        depth = 1;
        expectKey = true;
        continue;
      }
      if (ended) throw new DocumentShapeError(`unexpected content after the end of the document (near character ${offset + i})`);
      if (depth === 1) {
        if (expectKey) {
          if (c === CLOSE_OBJ) {
            depth = 0;
            ended = true;
          } else if (c === QUOTE) {
            inString = true;
            keyParts = [];
            keyStart = i;
            expectKey = false;
          } else throw new DocumentShapeError(`expected a key in the top-level object (near character ${offset + i})`);
          continue;
        }
        if (c === COLON) continue;
        if (c === COMMA) {
          expectKey = true;
          continue;
        }
        if (c === CLOSE_OBJ) {
          depth = 0;
          ended = true;
          continue;
        }
        if (lastKey === 'objects') {
          if (c !== OPEN_ARR) throw new DocumentShapeError('"objects" must be an array of STIX objects');
          inObjectsArray = true;
          sawObjects = true;
          depth = 2;
          lastKey = '';
          continue;
        }
        // Any other top-level value: skip it, tracking nesting and strings.
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
        } else if (depth < 1) throw new DocumentShapeError(`unbalanced brackets (near character ${offset + i})`);
      }
    }
    if (member) member.push(s.slice(memberStart));
    if (keyParts) keyParts.push(s.slice(keyStart));
    offset += s.length;
  }
  if (!started) throw new DocumentShapeError('the document is empty; expected a STIX bundle or a TAXII envelope');
  if (!ended) throw new DocumentShapeError('the document ends early: it is cut off or its brackets do not balance');
  if (!sawObjects) throw new DocumentShapeError('the document has no "objects" array; expected a STIX bundle or a TAXII envelope {"objects": [...]}');
}
