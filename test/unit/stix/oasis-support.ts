/**
 * Support for the OASIS cross-check: loads the vendored OASIS STIX 2.1 schemas (never shipped, never used
 * at run time) and lists where their verdict and ours differ. Run directly to rewrite oasis-differences.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createStixValidator } from '../../../src/stix/validator';
import type { InvalidCase } from '../../fixtures/stix/generate-corpus';
import { evaluateCase } from './evaluate-case';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const OASIS = path.resolve(REPO_ROOT, '..', 'shared', 'stix2-json-schemas');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'stix');
export const DIFFERENCES = path.join(FIXTURES, 'oasis-differences.json');
const OASIS_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/';

export interface Difference {
  case: string;
  ours: 'valid' | 'invalid';
  oasis: 'valid' | 'invalid';
  reason: string;
}

/** Loads the 57 core OASIS schemas the way their README prescribes (ids from paths, linear-time type regex). */
export function loadOasis(): (object: any) => boolean {
  const ajv = new Ajv2020({ strict: false, strictTypes: false, allErrors: false });
  addFormats(ajv);
  ajv.addFormat('idn-hostname', /^[^\s]+$/u);
  for (const folder of ['common', 'sdos', 'sros', 'observables']) {
    for (const file of fs.readdirSync(path.join(OASIS, 'schemas', folder)).filter((f) => f.endsWith('.json'))) {
      const rel = `schemas/${folder}/${file}`;
      // README "ReDoS" / "Unicode regexes": the nested-quantifier type and -ext patterns are rewritten to an equivalent linear one.
      const text = fs.readFileSync(path.join(OASIS, rel), 'utf8').split('^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\\\-').join('^[a-z][a-z0-9]*(-[a-z0-9]+)*-');
      const schema = JSON.parse(text);
      schema.$id = OASIS_BASE + rel;
      ajv.addSchema(schema);
    }
  }
  const byType = new Map<string, ValidateFunction>();
  const get = (rel: string): ValidateFunction => {
    const fn = ajv.getSchema(OASIS_BASE + rel);
    if (!fn) throw new Error(`OASIS schema ${rel} missing`);
    return fn;
  };
  for (const folder of ['sdos', 'sros', 'observables']) {
    for (const file of fs.readdirSync(path.join(OASIS, 'schemas', folder))) byType.set(file.replace('.json', ''), get(`schemas/${folder}/${file}`));
  }
  for (const t of ['marking-definition', 'language-content', 'extension-definition']) byType.set(t, get(`schemas/common/${t}.json`));
  const core = get('schemas/common/core.json');
  const scoCore = get('schemas/common/cyber-observable-core.json');
  // The README's advice: pick by type; fall back to the core schemas for custom types.
  return (object: any): boolean => {
    if (typeof object !== 'object' || object === null || Array.isArray(object)) return false;
    const fn = byType.get(object.type) ?? (object.created === undefined ? scoCore : core);
    return fn(object) as boolean;
  };
}

type CorpusCase = { key: string; object: unknown; allowCustom: boolean; storedVersions?: InvalidCase['storedVersions']; stored?: unknown[] };

export function corpusCases(): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const file of fs.readdirSync(path.join(FIXTURES, 'valid')).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'valid', file), 'utf8'));
    (doc.objects as unknown[]).forEach((o, i) => out.push({ key: `valid/${file}#${i}`, object: o, allowCustom: file.endsWith('.custom.json') }));
  }
  for (const file of fs.readdirSync(path.join(FIXTURES, 'invalid')).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'invalid', file), 'utf8')) as { cases: InvalidCase[] };
    // Whole-document cases (bundles, envelopes) have no per-object OASIS verdict.
    doc.cases.forEach((c, i) => {
      if (c.document === undefined) out.push({ key: `invalid/${file}#${i}`, object: c.object, allowCustom: c.allowCustom ?? false, storedVersions: c.storedVersions, stored: c.stored });
    });
  }
  return out;
}


/** Why our verdict differs, by the rule our validator reports (invalid cases) — each a spec rule the OASIS schemas do not encode. */
export const REASONS: Readonly<Record<string, string>> = {
  'custom.property-not-allowed': 'Custom content is gated per collection (allowCustom=false here); the OASIS schemas accept any extra property.',
  'custom.type-not-allowed': 'Custom object types are gated per collection (allowCustom=false here); OASIS falls back to core.json and accepts them.',
  'custom.extension-not-allowed': 'Custom extensions are gated per collection (allowCustom=false here); OASIS accepts any well-formed extension key.',
  'extension.schema': 'The extension content breaks the JSON Schema of its extension-definition (§7.3: the schema is the normative definition); the OASIS schemas do not read extension-definitions.',
  'extension-definition.properties': 'extension_properties MUST only be used with a toplevel-property-extension (§7.3); the OASIS extension-definition schema does not tie the two together.',
  'schema.minLength': 'The string is empty where the spec requires a value; the OASIS schema for this property only requires a string.',
  'schema.maxLength': 'A domain name is longer than the 253 characters RFC 1034 allows (§6.4 requires an RFC 1034 name); the OASIS schema does not bound its length.',
  'extension.wrong-type': 'STIX 2.1 §6 defines each predefined extension for one SCO type only; OASIS does not reject a predefined extension on another type.',
  'id.process-uuid-version': 'A process has no ID-contributing properties, so its id MUST use UUIDv4 (§2.9, §6.11); the OASIS identifier pattern accepts any RFC 4122 version.',
  'lang.tag': 'lang and language-content contents keys MUST be RFC 5646 language tags (§3.2, §7.1); the OASIS schemas only require a string.',
  'list.empty': 'Lists MUST NOT be empty (§2.12), custom properties, extension content and translations included; the OASIS schemas only set minItems on the properties they define.',
  'marking.circular': 'A marking definition marking itself is circular (the official validator treats it as a MUST); not expressible in the OASIS schema.',
  'marking.created-changed': 'Marking definitions cannot be versioned (§7.2.1); detecting a re-post with a different created needs the stored versions, which no schema sees.',
  'marking.selector': 'Granular-marking selectors MUST point at properties that exist in the object (§7.2.3.1); the OASIS schema only checks selectors are strings.',
  'marking.tlp-mismatch': 'The predefined TLP markings have fixed content (§7.2.1.4); OASIS only checks the TLP 1.0 definitions loosely and TLP 2.0 not at all.',
  'pattern.and-mixed-types': 'STIX patterning §9.5: comparisons joined by AND in one observation must use one object type; OASIS only requires pattern to be a string.',
  'pattern.not-an-sco': 'Patterns can only test SCO properties (§9); OASIS only requires pattern to be a string.',
  'pattern.object-type-name': 'Object types in a pattern must be valid type names (§9.2, §2.9); OASIS only requires pattern to be a string.',
  'pattern.syntax': 'The pattern breaks the STIX patterning grammar (§9); OASIS only requires pattern to be a string (their README, "The indicator schema only requires pattern to be a string").',
  'pattern.unknown-property': 'The pattern names a property the SCO does not define (§6, §9.2); OASIS does not parse patterns.',
  'ref.type': 'The reference points at a type the spec does not allow for this property (§3–§7); OASIS checks some ref targets by prefix but not these.',
  'revoked.unrevoke': 'A revoked object cannot be un-revoked in a later version (§3.6.2); needs the stored versions, which no schema sees.',
  'schema.const': 'The TLP 2.0 extension instance must declare extension_type property-extension; the OASIS schemas do not know the TLP 2.0 extension.',
  'schema.oneOf': 'A granular marking needs exactly one of lang and marking_ref (§7.2.3); the OASIS granular-marking schema requires marking_ref and does not forbid lang next to it.',
  'schema.required': 'extension-definition requires created_by_ref (§7.3.1); the OASIS extension-definition schema does not require it.',
  'spec-version.value': 'STIX 2.1 objects must have spec_version "2.1"; the OASIS core schema also accepts "2.0".',
  'timestamp.end-before-start': 'network-traffic end MUST be later than or equal to start (§6.12); ordering is not expressible in JSON Schema.',
  'timestamp.format': 'The timestamp is not a real calendar instant in RFC 3339 UTC (§2.13), e.g. 30 February; the OASIS timestamp regex checks digit ranges only.',
  'timestamp.last-observed-before-first-observed': 'last_observed MUST be later than or equal to first_observed (§4.14); ordering is not expressible in JSON Schema.',
  'timestamp.last-seen-before-first-seen': 'last_seen MUST be later than or equal to first_seen (§4–§5); ordering is not expressible in JSON Schema.',
  'timestamp.modified-before-created': 'modified MUST be later than or equal to created (§3.2); ordering is not expressible in JSON Schema.',
  'timestamp.precision': 'created MUST be precise to the millisecond (§3.2) on every object; the OASIS marking-definition schema does not apply that to its created.',
  'timestamp.stop-time-not-after-start-time': 'stop_time MUST be later than start_time (§5.1); ordering is not expressible in JSON Schema.',
  'timestamp.valid-until-not-after-valid-from': 'valid_until MUST be later than valid_from (§4.7); ordering is not expressible in JSON Schema.',
};

/** Valid corpus objects that the OASIS schemas reject, each because of a known OASIS deviation from the spec. */
export const VALID_REASONS: Readonly<Record<string, string>> = {
  'valid/identifiers-and-languages.json#3': 'The object has a granular marking with lang instead of marking_ref, which §7.2.3 allows; the OASIS granular-marking schema always requires marking_ref.',
  'valid/type-showcase.json#25': 'The object has a granular marking with lang instead of marking_ref, which §7.2.3 allows; the OASIS granular-marking schema always requires marking_ref.',
};

export function computeDifferences(): Array<Omit<Difference, 'reason'> & { rules: string[] }> {
  const oasis = loadOasis();
  const ours = createStixValidator();
  const out: Array<Omit<Difference, 'reason'> & { rules: string[] }> = [];
  for (const c of corpusCases()) {
    const r = evaluateCase(ours, { name: c.key, object: c.object, allowCustom: c.allowCustom, storedVersions: c.storedVersions, stored: c.stored });
    const our = r.valid ? 'valid' : 'invalid';
    const their = oasis(c.object) ? 'valid' : 'invalid';
    if (our !== their) out.push({ case: c.key, ours: our, oasis: their, rules: [...new Set(r.errors.map((e) => e.rule))] });
  }
  return out;
}

if (require.main === module && process.argv.includes('--write')) {
  const differences: Difference[] = computeDifferences().map((d) => {
    const reason = d.ours === 'valid' ? VALID_REASONS[d.case] : d.rules.length === 1 ? REASONS[d.rules[0]!] : undefined;
    if (!reason) throw new Error(`no reason known for ${d.case} (${d.rules.join(', ')}); add one before writing`);
    return { case: d.case, ours: d.ours, oasis: d.oasis, reason };
  });
  const doc = {
    description: 'Objects of the STIX corpus on which the OASIS STIX 2.1 JSON Schemas and this project disagree, each with the reason. Checked by test/unit/stix/oasis-crosscheck.test.ts; regenerate with test/unit/stix/oasis-support.ts --write.',
    differences,
  };
  fs.writeFileSync(DIFFERENCES, JSON.stringify(doc, null, 2) + '\n');
} else if (require.main === module) {
  const diffs = computeDifferences();
  const counts = new Map<string, number>();
  for (const d of diffs) {
    const k = `${d.ours}/${d.oasis} ${d.rules.join(',') || '-'} ${d.case.replace(/#\d+$/, '')}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...counts].sort()) console.log(n, k);
}
