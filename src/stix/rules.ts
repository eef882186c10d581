/**
 * The catalogue of every rule the STIX validator reports: the one source of truth for rule ids, their
 * severity (a MUST is an error, a SHOULD a warning), the spec section, and whether the OASIS STIX 2.1
 * JSON Schemas and the OASIS Python validator (cti-stix-validator) check the same thing. docs/validation.md
 * holds this table (test/unit/stix/rule-catalogue.test.ts keeps the two in step), and every rule has
 * fixtures in test/fixtures/stix that trigger it and that pass it.
 */

/** yes: checked the same way; partly: some cases only; no: not checked; n/a: TAXII or server policy, outside STIX. */
export type OasisCoverage = 'yes' | 'partly' | 'no' | 'n/a';

export interface RuleInfo {
  severity: 'error' | 'warning';
  /** STIX 2.1 section(s), or TAXII 2.1 for envelope rules, or "policy" for per-collection settings. */
  section: string;
  /** What the rule checks, in a few words. */
  what: string;
  oasisSchemas: OasisCoverage;
  oasisValidator: OasisCoverage;
  /** Where OASIS differs from the spec or from this server, briefly. */
  note?: string;
}

const e = (section: string, what: string, oasisSchemas: OasisCoverage, oasisValidator: OasisCoverage, note?: string): RuleInfo =>
  ({ severity: 'error', section, what, oasisSchemas, oasisValidator, ...(note ? { note } : {}) });
const w = (section: string, what: string, oasisSchemas: OasisCoverage, oasisValidator: OasisCoverage, note?: string): RuleInfo =>
  ({ severity: 'warning', section, what, oasisSchemas, oasisValidator, ...(note ? { note } : {}) });

export const RULES = {
  // Per-type JSON Schemas (schemas/stix): the property tables of §3-§7.
  'schema.required': e('§3.2, §4-§7', 'a required property is missing', 'yes', 'yes'),
  'schema.type': e('§2, §3.2', 'a property has the wrong JSON type (or the object is not a JSON object)', 'yes', 'yes'),
  'schema.enum': e('§2.10, §10', 'a closed enumeration (-enum) value is not one of the allowed values', 'yes', 'yes'),
  'schema.const': e('§3.2, §7.3', 'a fixed value is wrong (e.g. an extension instance\'s extension_type)', 'yes', 'yes'),
  'schema.pattern': e('§2, §6', 'a property does not have its required format (hex, hash values, registry keys, MAC addresses, ...)', 'partly', 'partly'),
  'schema.format': e('§2.11, §6', 'a value is not a valid URL, IPv4/IPv6 address or CIDR block', 'partly', 'partly'),
  'schema.anyOf': e('§2.5, §4, §6', 'none of the properties of which at least one is required is present', 'yes', 'yes'),
  'schema.oneOf': e('§7.2.3', 'a granular marking has both or neither of marking_ref and lang', 'partly', 'yes', 'the OASIS granular-marking schema always requires marking_ref, although §7.2.3 says "marking_ref ... MUST NOT be present if lang is present"'),
  'schema.not': e('§6.5, §6.12', 'a property that contradicts another is present (email body with is_multipart, end on an active flow)', 'yes', 'yes'),
  'schema.dependentRequired': e('§4.9, §6', 'a property is present without the one it depends on (latitude without longitude, ...)', 'yes', 'yes'),
  'schema.propertyNames': e('§2.7, §2.4', 'a dictionary key (hash algorithm name, ...) has an invalid form', 'yes', 'yes'),
  'schema.additionalProperties': e('§7.2.1.3, §7.2.1.4', 'a closed structure (a TLP or statement definition) has an extra property', 'yes', 'yes'),
  'schema.minItems': e('§2.12', 'a list the spec defines is empty', 'yes', 'yes'),
  'schema.minProperties': e('§2.4', 'a dictionary (hashes, extensions, ...) is empty', 'yes', 'yes'),
  'schema.minimum': e('§3.2, §6', 'a number is below its range (confidence, ports, sizes)', 'yes', 'yes'),
  'schema.maximum': e('§3.2, §6', 'a number is above its range (confidence above 100, ports above 65535)', 'yes', 'yes'),
  'schema.minLength': e('§2, §4-§7', 'a string that must not be empty is empty', 'partly', 'partly'),
  'schema.maxLength': e('§2, §6', 'a string is longer than its format allows', 'partly', 'partly'),
  'spec-version.value': e('§3.2', 'spec_version is not "2.1"', 'yes', 'yes'),
  // Timestamps (§3.2 and the ordering statements of each type).
  'timestamp.format': e('§2.15', 'a timestamp is not RFC 3339 UTC ending in Z with a real calendar date', 'partly', 'yes', 'the OASIS schemas check the shape only and accept 2024-02-30'),
  'timestamp.precision': e('§3.2', 'created or modified is not precise to the millisecond', 'yes', 'yes'),
  'timestamp.modified-before-created': e('§3.2', 'modified is earlier than created', 'no', 'yes'),
  'timestamp.last-seen-before-first-seen': e('§4.2, §4.8, §4.10, §4.11, §4.18, §5.2', 'last_seen is earlier than first_seen', 'no', 'yes'),
  'timestamp.valid-until-not-after-valid-from': e('§4.7', 'valid_until is not later than valid_from', 'no', 'yes'),
  'timestamp.last-observed-before-first-observed': e('§4.14', 'last_observed is earlier than first_observed', 'no', 'yes'),
  'timestamp.stop-time-not-after-start-time': e('§5.1', 'stop_time is not later than start_time', 'no', 'yes'),
  'timestamp.end-before-start': e('§6.12', 'a network-traffic end is earlier than its start', 'no', 'yes'),
  // Identifiers (§2.9).
  'id.format': e('§2.9', 'an id or reference is not <object-type>--<UUID>', 'yes', 'yes'),
  'id.type-mismatch': e('§2.9', 'the id\'s type part differs from the object\'s type', 'yes', 'yes'),
  'id.uuid-variant': e('§2.9', 'a UUID is not an RFC 4122 UUID (the variant digit is not 8, 9, a or b)', 'yes', 'yes'),
  'id.process-uuid-version': e('§2.9, §6.11', 'a process id is not a UUIDv4', 'no', 'yes'),
  'id.uuid-version': w('§2.9', 'an SDO, SRO or SCO without ID-contributing properties does not use a UUIDv4', 'no', 'yes', 'for an SCO with none of its ID-contributing properties §2.9 says a UUIDv4 "MUST" be used; it stays a warning here because such an SCO cannot be told apart from one whose producer used other properties'),
  'sco-id.mismatch': w('§2.9', 'an SCO id is not the UUIDv5 of its ID-contributing properties', 'no', 'no'),
  'ref.type': e('§3.2, §4-§7', 'a *_ref(s) property points at an object type it may not reference', 'partly', 'partly', 'the OASIS schemas constrain some references (created_by_ref, object_marking_refs) by id prefix only'),
  'lang.tag': e('§3.2, §6.14, §7.1, §7.2.3', 'lang, a granular marking\'s lang, a language-content contents key or a software language is not an RFC 5646 tag', 'no', 'yes', 'cti-stix-validator compares against a fixed list of codes, so it refuses well-formed tags such as "zh-Hant-TW" that are not on the list'),
  'list.empty': e('§2.12', 'a list outside the defined properties (custom properties, extension content, translations) is empty', 'no', 'no'),
  'external-ref.capec-id': e('§4.1', 'an external reference with source_name "capec" has an external_id that is not CAPEC-<id>', 'yes', 'no'),
  'external-ref.cve-id': e('§4.20', 'an external reference with source_name "cve" has an external_id that is not a CVE identifier', 'yes', 'no', 'the OASIS schema also refuses a CVE- or CAPEC-shaped external_id under any other source_name (e.g. "nvd"), which the spec does not forbid'),
  // Patterns (§9).
  'pattern.syntax': e('§9', 'a STIX pattern does not parse (grammar, literals, qualifiers, a repeated qualifier on one observation expression)', 'no', 'yes'),
  'pattern.and-mixed-types': e('§9.5', 'comparisons joined by AND in one observation expression use different object types', 'no', 'yes'),
  'pattern.object-type-name': e('§9.4', 'an object path\'s type is not a valid type name', 'no', 'yes'),
  'pattern.not-an-sco': e('§9.4', 'an object path names an SDO, SRO or meta object instead of an SCO', 'no', 'partly'),
  'pattern.unknown-property': e('§9.4', 'an object path names a property the SCO type does not define (and that is not x_ custom)', 'no', 'partly', 'cti-stix-validator only warns when a non-x_ property is not found'),
  'pattern.unknown-object-type': w('§9.4', 'an object path names a type that is neither an SCO nor defined by an extension-definition', 'no', 'yes'),
  'pattern.custom-property': w('§9.4, §11.1', 'an object path names an x_ custom property', 'no', 'partly'),
  'pattern.custom-extension': w('§9.4', 'an object path names an extension that is not a predefined one', 'no', 'partly'),
  'pattern.regex': w('§9.6', 'a MATCHES operand is not a regular expression this server can compile', 'no', 'no'),
  'pattern.version': w('§4.7', 'pattern_version is not 2.1, so the pattern is checked against the 2.1 grammar anyway', 'no', 'no'),
  // Markings (§7.2).
  'marking.circular': e('§7.2.2', 'a marking definition marks itself', 'no', 'yes'),
  'marking.selector': e('§7.2.3.1', 'a granular marking selector does not point at a property or list item of the object', 'no', 'yes'),
  'marking.tlp-mismatch': e('§7.2.1.4', 'a predefined TLP marking id carries other content than the predefined definition, or TLP is defined under another id', 'no', 'no'),
  'marking.created-changed': e('§7.2.1', 'a marking definition is re-posted with another created (marking definitions cannot be versioned)', 'no', 'no'),
  'marking.definition-type': w('§7.2.1', 'definition_type is neither "statement" nor "tlp"', 'no', 'yes'),
  'revoked.unrevoke': e('§3.6.2', 'a later version of a revoked object is not revoked', 'no', 'no'),
  // Custom content (§11) and extensions (§7.3).
  'custom.type-not-allowed': e('policy, §11.1', 'a type that is neither STIX 2.1 nor defined by a known extension-definition, in a collection without custom content', 'n/a', 'n/a'),
  'custom.type-name': e('§11.1', 'a custom type name is not 3-250 characters of a-z, 0-9 and single hyphens', 'yes', 'yes'),
  'custom.type-prefix': w('§11.1', 'a custom type name does not start with x-', 'no', 'yes'),
  'custom.property-not-allowed': e('policy, §11.1', 'a property no STIX type defines, not x_ and not declared by a toplevel-property-extension, in a collection without custom content', 'n/a', 'n/a'),
  'custom.property-name': e('§11.1', 'a custom property name is not 3-250 characters of a-z, 0-9 and _', 'yes', 'yes'),
  'custom.property-prefix': w('§11.1', 'a property the type does not define has no x_ prefix (e.g. modified on a marking-definition, created on an SCO)', 'no', 'yes'),
  'custom.extension-not-allowed': e('policy, §7.3', 'an extension whose extension-definition is neither in the input nor stored, or a custom -ext, in a collection without custom content', 'n/a', 'n/a'),
  'custom.extension-name': e('§11.3', 'a custom SCO extension name is not lower-case with hyphens ending in -ext', 'yes', 'yes'),
  'custom.extension-deprecated': w('§11.3', 'a custom -ext SCO extension (deprecated in favour of extension-definitions)', 'no', 'partly'),
  'extension.key': e('§7.3', 'an extension key of an SDO or SRO is not extension-definition--<UUID>', 'partly', 'partly'),
  'extension.wrong-type': e('§6', 'a predefined SCO extension is used on another SCO type', 'partly', 'partly'),
  'extension.schema': e('§7.3', 'extension content does not satisfy the JSON Schema of its extension-definition', 'no', 'no'),
  'extension.schema-unavailable': w('§7.3', 'the extension-definition\'s schema is not a JSON Schema the server can load without the network, so the content is accepted unchecked', 'no', 'no'),
  'extension-definition.properties': e('§7.3', 'extension_properties is present but extension_types has no toplevel-property-extension', 'no', 'no'),
  'extension-definition.properties-missing': w('§7.3', 'a toplevel-property-extension lists no extension_properties', 'no', 'yes'),
  // SHOULDs of §2-§7.
  'vocab.open': w('§2.13, §10', 'an open-vocabulary value is a suggested value spelt differently ("Financial Services")', 'no', 'yes', 'cti-stix-validator warns on every value outside the vocabulary, but §2.13 says the value "SHOULD be chosen from the suggested vocabulary but MAY be any other string value"'),
  'vocab.format': w('§2.13', 'an open-vocabulary value outside the vocabulary is not lowercase with hyphens', 'no', 'no'),
  'hashes.algorithm-name': w('§2.7, §10.6', 'a hash name is a hash-algorithm-ov name spelt differently ("sha256")', 'no', 'yes'),
  'hashes.custom-name': w('§2.7', 'a hash name outside hash-algorithm-ov does not start with x_', 'no', 'yes'),
  'kill-chain.name-format': w('§2.8', 'kill_chain_name or phase_name is not lowercase with hyphens', 'no', 'yes'),
  'relationship.type': w('§4, §5.1', 'relationship_type is not listed by the spec for the source and target SDO (also: used in the reverse direction)', 'no', 'yes', 'cti-stix-validator also warns on relationships with an SCO end, which §5.1 ("the source and target SDO") does not cover, and lists "vulnerability impacts", which §4.20 does not define'),
  'location.country-code': w('§4.9', 'country is not an ISO 3166-1 alpha-2 code', 'no', 'yes'),
  'malware-analysis.product-name': w('§4.11', 'product is not lowercase with hyphens', 'no', 'yes'),
  'deprecated.observed-data-objects': w('§4.14', 'observed-data uses the deprecated objects property', 'no', 'yes'),
  'mime-type.format': w('§6.1, §6.7', 'a file or artifact mime_type is not an IANA media type template name', 'no', 'yes', 'cti-stix-validator makes the artifact case an error; §6.1 says "SHOULD"'),
  'process.priority-class': w('§6.11.2', 'a windows-process-ext priority does not end in _CLASS', 'no', 'yes'),
  'network-traffic.protocol': w('§6.12', 'a protocols value is not lowercase or not a known IANA service or protocol name', 'no', 'yes'),
  // Containers (§8, TAXII 2.1 §3.7).
  'object.bundle-nested': e('§8', 'a bundle is sent as an object', 'partly', 'partly'),
  'bundle.id': e('§8', 'a bundle id is not bundle--<RFC 4122 UUID>', 'yes', 'yes'),
  'bundle.objects-empty': e('§8, §2.12', 'a bundle\'s objects is an empty list', 'yes', 'yes'),
  'bundle.property': e('§8', 'a bundle has a property other than type, id and objects', 'no', 'no'),
  'bundle.spec-version': w('§8', 'a bundle has spec_version (a STIX 2.0 property)', 'no', 'no'),
  'container.type': e('TAXII 2.1 §3.7', 'the document is neither a bundle, an envelope nor a STIX object', 'n/a', 'n/a'),
  'container.objects': e('TAXII 2.1 §3.7', 'objects is not a list', 'n/a', 'n/a'),
  'container.duplicate-version': w('§3.6', 'the same id and version appear twice in one document', 'no', 'yes'),
  'envelope.more': e('TAXII 2.1 §3.7', 'an envelope\'s more is not a boolean', 'n/a', 'n/a'),
  'envelope.next': e('TAXII 2.1 §3.7', 'an envelope\'s next is not a string', 'n/a', 'n/a'),
  'envelope.property': w('TAXII 2.1 §3.7', 'an envelope has a property other than more, next and objects', 'n/a', 'n/a'),
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

export function isRuleId(s: string): s is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, s);
}

/** The rule table of docs/validation.md, rendered from the catalogue (the doc holds exactly this text). */
export function renderRuleTable(): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = ['| rule | severity | spec | what it checks | OASIS schemas | OASIS validator | where OASIS differs |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const [id, r] of Object.entries(RULES) as Array<[string, RuleInfo]>) {
    lines.push(`| \`${id}\` | ${r.severity} | ${r.section} | ${cell(r.what)} | ${r.oasisSchemas} | ${r.oasisValidator} | ${cell(r.note ?? '')} |`);
  }
  return lines.join('\n') + '\n';
}
