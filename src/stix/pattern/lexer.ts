/**
 * Tokeniser for STIX 2.1 patterns (§9, grammar STIXPattern.g4). A single forward scan with no regular
 * expressions on the pattern text, so hostile input costs linear time.
 */
import { isStixTimestamp } from '../timestamps';

export type TokenKind =
  | '[' | ']' | '(' | ')' | ':' | '.' | ',' | '*'
  | '=' | '!=' | '<' | '<=' | '>' | '>='
  | 'keyword' | 'identifier' | 'string' | 'int' | 'float' | 'bool' | 'hex' | 'binary' | 'timestamp' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Keyword or identifier text, decoded string/hex/binary/timestamp body, or the literal source for numbers. */
  text: string;
  /** Whether an identifier contains a hyphen (only object types may). */
  hyphen: boolean;
  offset: number;
}

export class PatternSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const KEYWORDS: ReadonlySet<string> = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'LAST', 'IN', 'START', 'STOP',
  'SECONDS', 'WITHIN', 'REPEATS', 'TIMES',
]);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isB64 = (c: number): boolean => (isIdentPart(c) && c !== 95) || c === 43 || c === 47;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;

function describe(s: string, at: number): string {
  return at >= s.length ? 'the end of the pattern' : `'${s.slice(at, at + 12)}'`;
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const n = src.length;
  let i = 0;
  const push = (kind: TokenKind, text: string, offset: number, hyphen = false): void => {
    tokens.push({ kind, text, hyphen, offset });
  };
  while (i < n) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    switch (c) {
      case 91: push('[', '[', i++); continue;
      case 93: push(']', ']', i++); continue;
      case 40: push('(', '(', i++); continue;
      case 41: push(')', ')', i++); continue;
      case 58: push(':', ':', i++); continue;
      case 44: push(',', ',', i++); continue;
      case 42: push('*', '*', i++); continue;
      case 61: push('=', '=', i++); continue;
      case 33:
        if (src.charCodeAt(i + 1) === 61) { push('!=', '!=', i); i += 2; continue; }
        throw new PatternSyntaxError(`unexpected '!' at offset ${i}; did you mean '!='?`, i);
      case 60:
        if (src.charCodeAt(i + 1) === 61) { push('<=', '<=', i); i += 2; } else push('<', '<', i++);
        continue;
      case 62:
        if (src.charCodeAt(i + 1) === 61) { push('>=', '>=', i); i += 2; } else push('>', '>', i++);
        continue;
      case 39: {
        const { value, end } = readQuoted(src, i);
        push('string', value, start);
        i = end;
        continue;
      }
      default:
        break;
    }
    // Typed literals: h'..', b'..', t'..' (the prefix letter directly followed by a quote).
    if ((c === 104 || c === 98 || c === 116) && src.charCodeAt(i + 1) === 39) {
      const { value, end } = readQuoted(src, i + 1);
      if (c === 104) {
        if (value.length % 2 !== 0) throw new PatternSyntaxError(`hex literal at offset ${start} must have an even number of hex digits`, start);
        for (let k = 0; k < value.length; k++) {
          if (!isHex(value.charCodeAt(k))) throw new PatternSyntaxError(`hex literal at offset ${start} contains a non-hex character`, start);
        }
        push('hex', value, start);
      } else if (c === 98) {
        if (!isBase64(value)) throw new PatternSyntaxError(`binary literal at offset ${start} is not valid base64 (RFC 4648, padded)`, start);
        push('binary', value, start);
      } else {
        if (!isStixTimestamp(value)) {
          throw new PatternSyntaxError(`timestamp literal at offset ${start} must be an RFC 3339 UTC timestamp ending in Z, e.g. t'2024-01-31T12:00:00Z'`, start);
        }
        push('timestamp', value, start);
      }
      i = end;
      continue;
    }
    if (c === 46 && isDigit(src.charCodeAt(i + 1))) {
      i = readNumber(src, i, start, tokens);
      continue;
    }
    if (c === 46) { push('.', '.', i++); continue; }
    if (isDigit(c) || c === 43 || c === 45) {
      i = readNumber(src, i, start, tokens);
      continue;
    }
    if (isIdentStart(c)) {
      let hyphen = false;
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (isIdentPart(d)) i++;
        else if (d === 45) { hyphen = true; i++; }
        else break;
      }
      const text = src.slice(start, i);
      if (!hyphen && KEYWORDS.has(text)) push('keyword', text, start);
      else if (text === 'true' || text === 'false') push('bool', text, start);
      else push('identifier', text, start, hyphen);
      continue;
    }
    throw new PatternSyntaxError(`unexpected character ${describe(src, i)} at offset ${i}`, i);
  }
  push('eof', '', n);
  return tokens;
}

/** §9.3 string literals: single-quoted, where only \' and \\ are valid escapes. */
function readQuoted(src: string, quoteAt: number): { value: string; end: number } {
  let i = quoteAt + 1;
  let out = '';
  let chunk = i;
  for (;;) {
    if (i >= src.length) throw new PatternSyntaxError(`unterminated quoted literal starting at offset ${quoteAt}`, quoteAt);
    const c = src.charCodeAt(i);
    if (c === 39) {
      out += src.slice(chunk, i);
      return { value: out, end: i + 1 };
    }
    if (c === 92) {
      const next = src.charCodeAt(i + 1);
      if (next !== 39 && next !== 92) {
        throw new PatternSyntaxError(`invalid escape at offset ${i}: only \\' and \\\\ may be escaped in a pattern string`, i);
      }
      out += src.slice(chunk, i) + String.fromCharCode(next);
      i += 2;
      chunk = i;
      continue;
    }
    i++;
  }
}

function isBase64(s: string): boolean {
  if (s.length % 4 !== 0) return false;
  let pad = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 61) {
      pad++;
      if (k < s.length - 2) return false;
    } else if (pad > 0 || !isB64(c)) return false;
  }
  return pad <= 2;
}

/** §9.3: ints are `[+-]?(0|[1-9][0-9]*)`, floats `[+-]?[0-9]*\.[0-9]+`. */
function readNumber(src: string, i: number, start: number, tokens: Token[]): number {
  const n = src.length;
  if (src.charCodeAt(i) === 43 || src.charCodeAt(i) === 45) i++;
  const intStart = i;
  while (i < n && isDigit(src.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  if (src.charCodeAt(i) === 46) {
    i++;
    const fracStart = i;
    while (i < n && isDigit(src.charCodeAt(i))) i++;
    if (i === fracStart) throw new PatternSyntaxError(`float literal at offset ${start} needs digits after the decimal point`, start);
    tokens.push({ kind: 'float', text: src.slice(start, i), hyphen: false, offset: start });
    return i;
  }
  if (intDigits === 0) throw new PatternSyntaxError(`expected a number at offset ${start}, found ${describe(src, start)}`, start);
  if (intDigits > 1 && src.charCodeAt(intStart) === 48) {
    throw new PatternSyntaxError(`integer literal at offset ${start} must not have leading zeros`, start);
  }
  if (i < n && (isIdentStart(src.charCodeAt(i)))) {
    throw new PatternSyntaxError(`unexpected character ${describe(src, i)} after a number at offset ${i}`, i);
  }
  tokens.push({ kind: 'int', text: src.slice(start, i), hyphen: false, offset: start });
  return i;
}
