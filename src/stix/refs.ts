/**
 * Which object types each `*_ref` / `*_refs` property may point at (STIX 2.1 property tables, §3–§7).
 * Identifier syntax is checked by the JSON Schemas; this table adds the target-type rule.
 */

/** A target class: a list of concrete types, or one of the spec's groupings. */
export type RefTarget =
  | { kind: 'types'; types: readonly string[] }
  | { kind: 'any' }
  | { kind: 'sdo' }
  | { kind: 'sco' }
  | { kind: 'sdo-or-sco' }
  | { kind: 'sco-or-sro' };

const types = (...t: string[]): RefTarget => ({ kind: 'types', types: t });
const ANY: RefTarget = { kind: 'any' };
const SDO: RefTarget = { kind: 'sdo' };
const SCO: RefTarget = { kind: 'sco' };

/** Common properties (§3.2): apply to every object that carries them. */
export const COMMON_REFS: Readonly<Record<string, RefTarget>> = {
  created_by_ref: types('identity'),
  object_marking_refs: types('marking-definition'),
};

export const TYPE_REFS: Readonly<Record<string, Readonly<Record<string, RefTarget>>>> = {
  grouping: { object_refs: ANY },
  malware: { operating_system_refs: types('software'), sample_refs: types('file', 'artifact') },
  'malware-analysis': {
    host_vm_ref: types('software'), operating_system_ref: types('software'), installed_software_refs: types('software'),
    analysis_sco_refs: SCO, sample_ref: types('file', 'network-traffic', 'artifact'),
  },
  note: { object_refs: ANY },
  // §4.14: object_refs lists the SCOs (and SROs between them) that were observed.
  'observed-data': { object_refs: { kind: 'sco-or-sro' } },
  opinion: { object_refs: ANY },
  report: { object_refs: ANY },
  // §5.1: source/target are SDOs or SCOs, never SROs or meta objects.
  relationship: { source_ref: { kind: 'sdo-or-sco' }, target_ref: { kind: 'sdo-or-sco' } },
  sighting: { sighting_of_ref: SDO, observed_data_refs: types('observed-data'), where_sighted_refs: types('identity', 'location') },
  'language-content': { object_ref: ANY },
  directory: { contains_refs: types('file', 'directory') },
  'domain-name': { resolves_to_refs: types('ipv4-addr', 'ipv6-addr', 'domain-name') },
  'email-addr': { belongs_to_ref: types('user-account') },
  'email-message': {
    from_ref: types('email-addr'), sender_ref: types('email-addr'), to_refs: types('email-addr'), cc_refs: types('email-addr'),
    bcc_refs: types('email-addr'), raw_email_ref: types('artifact'),
  },
  file: { parent_directory_ref: types('directory'), contains_refs: SCO, content_ref: types('artifact') },
  'ipv4-addr': { resolves_to_refs: types('mac-addr'), belongs_to_refs: types('autonomous-system') },
  'ipv6-addr': { resolves_to_refs: types('mac-addr'), belongs_to_refs: types('autonomous-system') },
  'network-traffic': {
    src_ref: types('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'), dst_ref: types('ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'),
    src_payload_ref: types('artifact'), dst_payload_ref: types('artifact'), encapsulates_refs: types('network-traffic'),
    encapsulated_by_ref: types('network-traffic'),
  },
  process: {
    opened_connection_refs: types('network-traffic'), creator_user_ref: types('user-account'), image_ref: types('file'),
    parent_ref: types('process'), child_refs: types('process'),
  },
  'windows-registry-key': { creator_user_ref: types('user-account') },
};

/** Refs inside predefined SCO extensions (§6), keyed by extension name. */
export const EXTENSION_REFS: Readonly<Record<string, Readonly<Record<string, RefTarget>>>> = {
  'archive-ext': { contains_refs: types('file', 'directory') },
  'http-request-ext': { message_body_data_ref: types('artifact') },
  'windows-service-ext': { service_dll_refs: types('file') },
};

/** §6.6.2: email MIME parts. */
export const MIME_PART_REFS: Readonly<Record<string, RefTarget>> = {
  body_raw_ref: types('artifact', 'file'),
};

export function describeTarget(t: RefTarget): string {
  switch (t.kind) {
    case 'types':
      return t.types.length === 1 ? `a ${t.types[0]}` : `one of ${t.types.join(', ')}`;
    case 'any':
      return 'a STIX object';
    case 'sdo':
      return 'a STIX Domain Object';
    case 'sco':
      return 'a STIX Cyber-observable Object';
    case 'sdo-or-sco':
      return 'a STIX Domain Object or Cyber-observable Object';
    case 'sco-or-sro':
      return 'a STIX Cyber-observable Object or relationship';
  }
}

/**
 * The endpoints of a relationship or sighting: source_ref, target_ref, sighting_of_ref, observed_data_refs and
 * where_sighted_refs (the same list as migration 20261201200001, which cannot import this module).
 */
export function endpointsOf(value: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const k of ['source_ref', 'target_ref', 'sighting_of_ref']) if (typeof value[k] === 'string') out.add(value[k] as string);
  for (const k of ['observed_data_refs', 'where_sighted_refs']) {
    const list = value[k];
    if (Array.isArray(list)) for (const r of list) if (typeof r === 'string') out.add(r);
  }
  return [...out];
}
