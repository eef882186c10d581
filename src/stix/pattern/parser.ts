/**
 * Recursive-descent parser for STIX 2.1 patterns (§9; same language as STIXPattern.g4).
 * Precedence, loosest first: FOLLOWEDBY, OR, AND between observations; qualifiers bind to the observation
 * expression on their left; inside brackets OR is looser than AND.
 */
import type { ComparisonExpression, ComparisonOperator, Literal, ObjectPath, ObservationExpression, PathStep, Qualifier } from './ast';
import { PatternSyntaxError, tokenize, type Token, type TokenKind } from './lexer';
import { compareTimestamps } from '../timestamps';

export { PatternSyntaxError } from './lexer';

/**
 * Bounds on one pattern, so that hostile input is refused early instead of costing unbounded time,
 * memory or stack: the AST stays shallow enough for the recursive checks that walk it. Real indicators
 * stay far below them; a longer list of observables belongs in several indicators.
 */
export const PATTERN_LIMITS = Object.freeze({
  /** Observation expressions ([...]) in the whole pattern. */
  observations: 1000,
  /** Comparison expressions in the whole pattern. */
  comparisons: 1000,
  /** WITHIN, REPEATS and START/STOP qualifiers in the whole pattern. */
  qualifiers: 100,
  /** Nesting of parentheses, so a hostile "((((…" cannot exhaust the call stack. */
  depth: 100,
  /** Values in one IN (...) set. */
  setValues: 10_000,
  /** Steps after the first property of one object path. */
  pathSteps: 100,
});

const ORDER_OPS: ReadonlySet<TokenKind> = new Set(['<', '<=', '>', '>=']);
const STRING_OPS: ReadonlySet<string> = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

class Parser {
  private pos = 0;
  private depth = 0;
  private observations = 0;
  private comparisons = 0;
  private qualifiers = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.text === word;
  }

  private fail(expected: string): never {
    const t = this.peek();
    const found = t.kind === 'eof' ? 'the end of the pattern' : `'${t.kind === 'string' ? `'${t.text}'` : t.text || t.kind}'`;
    throw new PatternSyntaxError(`expected ${expected} at offset ${t.offset}, found ${found}`, t.offset);
  }

  private expect(kind: TokenKind, what: string): Token {
    if (this.peek().kind !== kind) this.fail(what);
    return this.next();
  }

  private enter(): void {
    if (++this.depth > PATTERN_LIMITS.depth) this.overLimit(`nests deeper than ${PATTERN_LIMITS.depth} levels of parentheses`);
  }

  private overLimit(what: string): never {
    const offset = this.peek().offset;
    throw new PatternSyntaxError(`pattern ${what} at offset ${offset}, over this server's limit; split it into several indicators`, offset);
  }

  parsePattern(): ObservationExpression {
    const expr = this.followedBy();
    if (this.peek().kind !== 'eof') this.fail("AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern");
    return expr;
  }

  private followedBy(): ObservationExpression {
    let left = this.obsOr();
    while (this.isKeyword('FOLLOWEDBY')) {
      this.next();
      left = { kind: 'followedby', left, right: this.obsOr() };
    }
    return left;
  }

  private obsOr(): ObservationExpression {
    let left = this.obsAnd();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.obsAnd() };
    }
    return left;
  }

  private obsAnd(): ObservationExpression {
    let left = this.qualified();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.qualified() };
    }
    return left;
  }

  private qualified(): ObservationExpression {
    let expr = this.observation();
    // §9.6: a qualifier of one kind applies at most once to the same observation expression.
    let seen = 0;
    for (;;) {
      const offset = this.peek().offset;
      const q = this.qualifier();
      if (!q) return expr;
      const bit = q.kind === 'within' ? 1 : q.kind === 'repeats' ? 2 : 4;
      if (seen & bit) {
        const name = q.kind === 'within' ? 'WITHIN' : q.kind === 'repeats' ? 'REPEATS' : 'START/STOP';
        throw new PatternSyntaxError(`a second ${name} qualifier at offset ${offset} applies to the same observation expression; keep one ${name} (STIX 2.1 §9.6)`, offset);
      }
      seen |= bit;
      if (++this.qualifiers > PATTERN_LIMITS.qualifiers) this.overLimit(`has more than ${PATTERN_LIMITS.qualifiers} qualifiers`);
      expr = { kind: 'qualified', expression: expr, qualifier: q };
    }
  }

  private qualifier(): Qualifier | undefined {
    if (this.isKeyword('WITHIN')) {
      this.next();
      const t = this.next();
      if (t.kind !== 'int' && t.kind !== 'float') {
        this.pos--;
        this.fail('a positive number of seconds after WITHIN');
      }
      const seconds = Number(t.text);
      if (!(seconds > 0)) throw new PatternSyntaxError(`WITHIN at offset ${t.offset} needs a positive number of seconds`, t.offset);
      if (!this.isKeyword('SECONDS')) this.fail('SECONDS');
      this.next();
      return { kind: 'within', seconds };
    }
    if (this.isKeyword('REPEATS')) {
      this.next();
      const t = this.expect('int', 'a positive integer after REPEATS');
      const times = Number(t.text);
      if (!(times > 0) || t.text.startsWith('+') || t.text.startsWith('-')) {
        throw new PatternSyntaxError(`REPEATS at offset ${t.offset} needs a positive integer`, t.offset);
      }
      if (!this.isKeyword('TIMES')) this.fail('TIMES');
      this.next();
      return { kind: 'repeats', times };
    }
    if (this.isKeyword('START')) {
      this.next();
      const start = this.expect('timestamp', "a timestamp literal t'…' after START");
      if (!this.isKeyword('STOP')) this.fail('STOP');
      this.next();
      const stop = this.expect('timestamp', "a timestamp literal t'…' after STOP");
      // §9.6: the STOP time must be later than the START time.
      if (compareTimestamps(stop.text, start.text) <= 0) {
        throw new PatternSyntaxError(`STOP time at offset ${stop.offset} must be later than the START time`, stop.offset);
      }
      return { kind: 'start-stop', start: start.text, stop: stop.text };
    }
    return undefined;
  }

  private observation(): ObservationExpression {
    const t = this.peek();
    if (t.kind === '[') {
      if (++this.observations > PATTERN_LIMITS.observations) this.overLimit(`has more than ${PATTERN_LIMITS.observations} observation expressions`);
      this.next();
      const comparison = this.compOr();
      this.expect(']', "']' to close the observation expression");
      return { kind: 'observation', comparison, offset: t.offset };
    }
    if (t.kind === '(') {
      this.enter();
      this.next();
      const inner = this.followedBy();
      this.expect(')', "')'");
      this.depth--;
      return inner;
    }
    return this.fail("'[' or '(' to start an observation expression");
  }

  private compOr(): ComparisonExpression {
    let left = this.compAnd();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'comparison-or', left, right: this.compAnd() };
    }
    return left;
  }

  private compAnd(): ComparisonExpression {
    let left = this.propTest();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'comparison-and', left, right: this.propTest() };
    }
    return left;
  }

  private propTest(): ComparisonExpression {
    const t = this.peek();
    if (t.kind === '(') {
      this.enter();
      this.next();
      const inner = this.compOr();
      this.expect(')', "')'");
      this.depth--;
      return inner;
    }
    if (++this.comparisons > PATTERN_LIMITS.comparisons) this.overLimit(`has more than ${PATTERN_LIMITS.comparisons} comparison expressions`);
    if (this.isKeyword('EXISTS')) {
      this.next();
      return { kind: 'exists', path: this.objectPath(), offset: t.offset };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.isKeyword('NOT')) {
      this.next();
      negated = true;
    }
    const op = this.peek();
    if (op.kind === '=' || op.kind === '!=') {
      this.next();
      return { kind: 'comparison', path, negated, operator: op.kind, value: this.primitive(), offset: t.offset };
    }
    if (ORDER_OPS.has(op.kind)) {
      this.next();
      const value = this.primitive();
      if (value.kind === 'bool') throw new PatternSyntaxError(`'${op.kind}' at offset ${op.offset} cannot compare with a boolean`, op.offset);
      return { kind: 'comparison', path, negated, operator: op.kind as ComparisonOperator, value, offset: t.offset };
    }
    if (op.kind === 'keyword' && op.text === 'IN') {
      this.next();
      return { kind: 'comparison', path, negated, operator: 'IN', value: this.setLiteral(), offset: t.offset };
    }
    if (op.kind === 'keyword' && STRING_OPS.has(op.text)) {
      this.next();
      const s = this.expect('string', `a quoted string after ${op.text}`);
      return { kind: 'comparison', path, negated, operator: op.text as ComparisonOperator, value: { kind: 'string', value: s.text }, offset: t.offset };
    }
    return this.fail('a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)');
  }

  private setLiteral(): Literal[] {
    this.expect('(', "'(' to start the IN set");
    const values: Literal[] = [];
    if (this.peek().kind === ')') {
      this.next();
      return values;
    }
    for (;;) {
      if (values.length === PATTERN_LIMITS.setValues) this.overLimit(`has more than ${PATTERN_LIMITS.setValues} values in an IN set`);
      values.push(this.primitive());
      if (this.peek().kind === ',') {
        this.next();
        continue;
      }
      this.expect(')', "',' or ')' in the IN set");
      return values;
    }
  }

  private primitive(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string': return { kind: 'string', value: t.text };
      case 'int': return { kind: 'int', value: Number(t.text) };
      case 'float': return { kind: 'float', value: Number(t.text) };
      case 'bool': return { kind: 'bool', value: t.text === 'true' };
      case 'hex': return { kind: 'hex', value: t.text };
      case 'binary': return { kind: 'binary', value: t.text };
      case 'timestamp': return { kind: 'timestamp', value: t.text };
      default:
        this.pos--;
        return this.fail('a constant (string, number, boolean, h\'…\', b\'…\' or t\'…\')');
    }
  }

  private objectPath(): ObjectPath {
    const typeTok = this.peek();
    if (typeTok.kind !== 'identifier') this.fail("an object path such as file:name");
    this.next();
    this.expect(':', "':' after the object type");
    const first = this.next();
    let property: string;
    if (first.kind === 'identifier' && !first.hyphen) property = first.text;
    else if (first.kind === 'string') property = first.text;
    else {
      this.pos--;
      this.fail('a property name after the object type');
    }
    const steps: PathStep[] = [];
    for (;;) {
      const t = this.peek();
      if ((t.kind === '.' || t.kind === '[') && steps.length === PATTERN_LIMITS.pathSteps) this.overLimit(`has more than ${PATTERN_LIMITS.pathSteps} steps in an object path`);
      if (t.kind === '.') {
        this.next();
        const name = this.next();
        if ((name.kind === 'identifier' && !name.hyphen) || name.kind === 'string') steps.push({ kind: 'property', name: name.text });
        else {
          this.pos--;
          this.fail("a property name after '.' (quote names containing '-', e.g. hashes.'SHA-256')");
        }
      } else if (t.kind === '[') {
        this.next();
        const idx = this.next();
        if (idx.kind === '*') steps.push({ kind: 'index', index: '*' });
        else if (idx.kind === 'int') steps.push({ kind: 'index', index: Number(idx.text) });
        else {
          this.pos--;
          this.fail("a list index (an integer or '*')");
        }
        this.expect(']', "']' after the list index");
      } else break;
    }
    return { objectType: typeTok.text, property, steps, offset: typeTok.offset };
  }
}

/** Parses a STIX pattern; throws PatternSyntaxError with an offset and an actionable message. */
export function parsePattern(pattern: string): ObservationExpression {
  return new Parser(tokenize(pattern)).parsePattern();
}
