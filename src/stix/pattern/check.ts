/**
 * Semantic checks on a parsed pattern (§9): object types and properties must exist in the SCO
 * definitions; custom ones are allowed but reported so a curator can double-check spelling.
 */
import type { RuleId } from '../rules';
import type { ComparisonExpression, ObjectPath, ObservationExpression } from './ast';

export interface PatternIssue {
  severity: 'error' | 'warning';
  rule: RuleId;
  message: string;
}

export interface PatternVocabulary {
  /** Top-level properties of a known SCO type (common properties included), or undefined for an unknown type. */
  scoProperties(type: string): ReadonlySet<string> | undefined;
  /** Properties of a predefined SCO extension, or undefined when `name` is not one for `type`. */
  extensionProperties(type: string, name: string): ReadonlySet<string> | undefined;
  /** Whether `type` is a known non-SCO STIX type (those cannot appear in patterns). */
  isNonScoType(type: string): boolean;
}

const TYPE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function checkPattern(ast: ObservationExpression, vocab: PatternVocabulary): PatternIssue[] {
  const issues: PatternIssue[] = [];
  walkObservation(ast, vocab, issues);
  return issues;
}

function walkObservation(expr: ObservationExpression, vocab: PatternVocabulary, issues: PatternIssue[]): void {
  switch (expr.kind) {
    case 'observation':
      walkComparison(expr.comparison, vocab, issues);
      return;
    case 'qualified':
      walkObservation(expr.expression, vocab, issues);
      return;
    default:
      walkObservation(expr.left, vocab, issues);
      walkObservation(expr.right, vocab, issues);
  }
}

function walkComparison(expr: ComparisonExpression, vocab: PatternVocabulary, issues: PatternIssue[]): Set<string> {
  switch (expr.kind) {
    case 'exists':
      checkPath(expr.path, vocab, issues);
      return new Set([expr.path.objectType]);
    case 'comparison': {
      checkPath(expr.path, vocab, issues);
      if (expr.operator === 'MATCHES' && !Array.isArray(expr.value) && expr.value.kind === 'string') {
        try {
          new RegExp(expr.value.value);
        } catch {
          issues.push({
            severity: 'warning', rule: 'pattern.regex',
            message: `the MATCHES expression for ${pathText(expr.path)} is not a regular expression this server can compile; check it is valid PCRE`,
          });
        }
      }
      return new Set([expr.path.objectType]);
    }
    case 'comparison-and': {
      const left = walkComparison(expr.left, vocab, issues);
      const right = walkComparison(expr.right, vocab, issues);
      const all = new Set([...left, ...right]);
      // §9.5: comparison expressions joined by AND inside one observation expression MUST use the same object type.
      if (all.size > 1) {
        issues.push({
          severity: 'error', rule: 'pattern.and-mixed-types',
          message: `comparisons joined by AND inside one [...] must use the same object type, but this one mixes ${[...all].join(' and ')}; split them into separate observation expressions joined by AND`,
        });
      }
      return all;
    }
    case 'comparison-or': {
      const left = walkComparison(expr.left, vocab, issues);
      const right = walkComparison(expr.right, vocab, issues);
      return new Set([...left, ...right]);
    }
  }
}

function pathText(p: ObjectPath): string {
  return `${p.objectType}:${p.property}`;
}

function checkPath(p: ObjectPath, vocab: PatternVocabulary, issues: PatternIssue[]): void {
  if (!TYPE_NAME.test(p.objectType) || p.objectType.length < 3 || p.objectType.length > 250) {
    issues.push({
      severity: 'error', rule: 'pattern.object-type-name',
      message: `'${p.objectType}' at offset ${p.offset} is not a valid object type name (3-250 characters of a-z, 0-9 and single hyphens)`,
    });
    return;
  }
  if (vocab.isNonScoType(p.objectType)) {
    issues.push({
      severity: 'error', rule: 'pattern.not-an-sco',
      message: `'${p.objectType}' at offset ${p.offset} is not a Cyber-observable Object type; patterns can only test SCO properties`,
    });
    return;
  }
  const props = vocab.scoProperties(p.objectType);
  if (!props) {
    issues.push({
      severity: 'warning', rule: 'pattern.unknown-object-type',
      message: `'${p.objectType}' at offset ${p.offset} is not a STIX 2.1 SCO type; if it is not a custom object, check its spelling`,
    });
    return;
  }
  if (!props.has(p.property)) {
    const custom = p.property.startsWith('x_');
    issues.push({
      severity: custom ? 'warning' : 'error', rule: custom ? 'pattern.custom-property' : 'pattern.unknown-property',
      message: custom
        ? `${pathText(p)} is a custom property, not part of the ${p.objectType} definition`
        : `${pathText(p)} at offset ${p.offset}: ${p.objectType} has no property '${p.property}' (see STIX 2.1 §6); fix the property name`,
    });
    return;
  }
  if (p.property === 'extensions') {
    const ext = p.steps[0];
    if (!ext || ext.kind !== 'property') return;
    const extProps = vocab.extensionProperties(p.objectType, ext.name);
    if (!extProps) {
      issues.push({
        severity: 'warning', rule: 'pattern.custom-extension',
        message: `${pathText(p)}.'${ext.name}' is not a predefined extension of ${p.objectType}; make sure it is the intended custom extension`,
      });
      return;
    }
    const sub = p.steps[1];
    if (sub && sub.kind === 'property' && !extProps.has(sub.name)) {
      issues.push({
        severity: sub.name.startsWith('x_') ? 'warning' : 'error',
        rule: sub.name.startsWith('x_') ? 'pattern.custom-property' : 'pattern.unknown-property',
        message: `${pathText(p)}.'${ext.name}'.${sub.name}: the ${ext.name} extension has no property '${sub.name}'; fix the property name`,
      });
    }
  }
}
