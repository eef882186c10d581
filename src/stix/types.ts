/**
 * TypeScript model of STIX 2.1 objects, mirroring schemas/stix (a unit test checks that every property a
 * schema requires is a non-optional property here, per type). Custom properties are allowed by the
 * index signature only on custom objects; validate input before trusting these types.
 */
import type {
  Artifact, AutonomousSystem, Directory, DomainName, EmailAddr, EmailMessage, File, Ipv4Addr, Ipv6Addr, MacAddr, Mutex,
  NetworkTraffic, Process, Software, Url, UserAccount, WindowsRegistryKey, X509Certificate,
} from './types-sco';

export type * from './types-sco';

/** `<type>--<UUID>` (§2.9). */
export type Identifier = string;
/** RFC 3339 UTC timestamp ending in Z (§2.13). */
export type Timestamp = string;
/** Hash algorithm name → hex digest (§2.7). */
export type Hashes = Record<string, string>;
/** Extension key (extension-definition id or -ext name) → extension instance (§7.3). */
export type Extensions = Record<string, Record<string, unknown>>;

/** §2.5 */
export interface ExternalReference {
  source_name: string;
  description?: string;
  url?: string;
  hashes?: Hashes;
  external_id?: string;
}

/** §2.8 */
export interface KillChainPhase {
  kill_chain_name: string;
  phase_name: string;
}

/** §7.2.3 */
export interface GranularMarking {
  selectors: string[];
  lang?: string;
  marking_ref?: Identifier;
}

/** §3.2: properties common to SDOs, SROs, language-content and extension-definition. */
export interface CommonProperties {
  type: string;
  spec_version: '2.1';
  id: Identifier;
  created_by_ref?: Identifier;
  created: Timestamp;
  modified: Timestamp;
  revoked?: boolean;
  labels?: string[];
  confidence?: number;
  lang?: string;
  external_references?: ExternalReference[];
  object_marking_refs?: Identifier[];
  granular_markings?: GranularMarking[];
  extensions?: Extensions;
}

/** §3.2 / §6: properties common to SCOs. */
export interface ScoCommonProperties {
  type: string;
  spec_version?: '2.1';
  id: Identifier;
  object_marking_refs?: Identifier[];
  granular_markings?: GranularMarking[];
  defanged?: boolean;
  extensions?: Extensions;
}

/** STIX 2.1 §4.1: attack-pattern. */
export interface AttackPattern extends CommonProperties {
  type: 'attack-pattern';
  name: string;
  description?: string;
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
}

/** STIX 2.1 §4.2: campaign. */
export interface Campaign extends CommonProperties {
  type: 'campaign';
  name: string;
  description?: string;
  aliases?: string[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  objective?: string;
}

/** STIX 2.1 §4.3: course-of-action. */
export interface CourseOfAction extends CommonProperties {
  type: 'course-of-action';
  name: string;
  description?: string;
}

/** STIX 2.1 §4.4: grouping. */
export interface Grouping extends CommonProperties {
  type: 'grouping';
  name?: string;
  description?: string;
  context: string;
  object_refs: Identifier[];
}

/** STIX 2.1 §4.5: identity. */
export interface Identity extends CommonProperties {
  type: 'identity';
  name: string;
  description?: string;
  roles?: string[];
  identity_class?: string;
  sectors?: string[];
  contact_information?: string;
}

/** STIX 2.1 §4.6: incident. */
export interface Incident extends CommonProperties {
  type: 'incident';
  name: string;
  description?: string;
  kill_chain_phases?: KillChainPhase[];
}

/** STIX 2.1 §4.7: indicator. */
export interface Indicator extends CommonProperties {
  type: 'indicator';
  name?: string;
  description?: string;
  indicator_types?: string[];
  pattern: string;
  pattern_type: string;
  pattern_version?: string;
  valid_from: Timestamp;
  valid_until?: Timestamp;
  kill_chain_phases?: KillChainPhase[];
}

/** STIX 2.1 §4.8: infrastructure. */
export interface Infrastructure extends CommonProperties {
  type: 'infrastructure';
  name: string;
  description?: string;
  infrastructure_types?: string[];
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
}

/** STIX 2.1 §4.9: intrusion-set. */
export interface IntrusionSet extends CommonProperties {
  type: 'intrusion-set';
  name: string;
  description?: string;
  aliases?: string[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  goals?: string[];
  resource_level?: string;
  primary_motivation?: string;
  secondary_motivations?: string[];
}

/** STIX 2.1 §4.10: location. */
export interface Location extends CommonProperties {
  type: 'location';
  name?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  precision?: number;
  region?: string;
  country?: string;
  administrative_area?: string;
  city?: string;
  street_address?: string;
  postal_code?: string;
}

/** STIX 2.1 §4.11: malware. */
export interface Malware extends CommonProperties {
  type: 'malware';
  name?: string;
  description?: string;
  malware_types?: string[];
  is_family: boolean;
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  operating_system_refs?: Identifier[];
  architecture_execution_envs?: string[];
  implementation_languages?: string[];
  capabilities?: string[];
  sample_refs?: Identifier[];
}

/** STIX 2.1 §4.12: malware-analysis. */
export interface MalwareAnalysis extends CommonProperties {
  type: 'malware-analysis';
  product: string;
  version?: string;
  host_vm_ref?: Identifier;
  operating_system_ref?: Identifier;
  installed_software_refs?: Identifier[];
  configuration_version?: string;
  modules?: string[];
  analysis_engine_version?: string;
  analysis_definition_version?: string;
  submitted?: Timestamp;
  analysis_started?: Timestamp;
  analysis_ended?: Timestamp;
  result_name?: string;
  result?: string;
  analysis_sco_refs?: Identifier[];
  sample_ref?: Identifier;
}

/** STIX 2.1 §4.13: note. */
export interface Note extends CommonProperties {
  type: 'note';
  abstract?: string;
  content: string;
  authors?: string[];
  object_refs: Identifier[];
}

/** STIX 2.1 §4.14: observed-data. */
export interface ObservedData extends CommonProperties {
  type: 'observed-data';
  first_observed: Timestamp;
  last_observed: Timestamp;
  number_observed: number;
  objects?: Record<string, unknown>;
  object_refs?: Identifier[];
}

/** STIX 2.1 §4.15: opinion. */
export interface Opinion extends CommonProperties {
  type: 'opinion';
  explanation?: string;
  authors?: string[];
  opinion: 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';
  object_refs: Identifier[];
}

/** STIX 2.1 §4.16: report. */
export interface Report extends CommonProperties {
  type: 'report';
  name: string;
  description?: string;
  report_types?: string[];
  published: Timestamp;
  object_refs: Identifier[];
}

/** STIX 2.1 §4.17: threat-actor. */
export interface ThreatActor extends CommonProperties {
  type: 'threat-actor';
  name: string;
  description?: string;
  threat_actor_types?: string[];
  aliases?: string[];
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  roles?: string[];
  goals?: string[];
  sophistication?: string;
  resource_level?: string;
  primary_motivation?: string;
  secondary_motivations?: string[];
  personal_motivations?: string[];
}

/** STIX 2.1 §4.18: tool. */
export interface Tool extends CommonProperties {
  type: 'tool';
  name: string;
  description?: string;
  tool_types?: string[];
  aliases?: string[];
  kill_chain_phases?: KillChainPhase[];
  tool_version?: string;
}

/** STIX 2.1 §4.19: vulnerability. */
export interface Vulnerability extends CommonProperties {
  type: 'vulnerability';
  name: string;
  description?: string;
}

/** STIX 2.1 §5.1: relationship. */
export interface Relationship extends CommonProperties {
  type: 'relationship';
  relationship_type: string;
  description?: string;
  source_ref: Identifier;
  target_ref: Identifier;
  start_time?: Timestamp;
  stop_time?: Timestamp;
}

/** STIX 2.1 §5.2: sighting. */
export interface Sighting extends CommonProperties {
  type: 'sighting';
  description?: string;
  first_seen?: Timestamp;
  last_seen?: Timestamp;
  count?: number;
  sighting_of_ref: Identifier;
  observed_data_refs?: Identifier[];
  where_sighted_refs?: Identifier[];
  summary?: boolean;
}

/** STIX 2.1 §7.1. */
export interface LanguageContent extends CommonProperties {
  type: 'language-content';
  object_ref: Identifier;
  object_modified?: Timestamp;
  contents: Record<string, unknown>;
}

/** STIX 2.1 §7.3.1. */
export interface ExtensionDefinition extends CommonProperties {
  created_by_ref: Identifier;
  type: 'extension-definition';
  name: string;
  description?: string;
  schema: string;
  version: string;
  extension_types: Array<'new-sdo' | 'new-sco' | 'new-sro' | 'property-extension' | 'toplevel-property-extension'>;
  extension_properties?: string[];
}

/** STIX 2.1 §7.2.1: never versioned (no modified); definition_type/definition, or an extension such as TLP 2.0. */
export interface MarkingDefinition {
  type: 'marking-definition';
  spec_version: '2.1';
  id: Identifier;
  created_by_ref?: Identifier;
  created: Timestamp;
  external_references?: ExternalReference[];
  object_marking_refs?: Identifier[];
  granular_markings?: GranularMarking[];
  extensions?: Extensions;
  name?: string;
  definition_type?: string;
  definition?: Record<string, unknown>;
}
/** Every STIX 2.1 object type this project models, by its `type` value. */
export interface StixObjectMap {
  'attack-pattern': AttackPattern;
  'campaign': Campaign;
  'course-of-action': CourseOfAction;
  'grouping': Grouping;
  'identity': Identity;
  'incident': Incident;
  'indicator': Indicator;
  'infrastructure': Infrastructure;
  'intrusion-set': IntrusionSet;
  'location': Location;
  'malware': Malware;
  'malware-analysis': MalwareAnalysis;
  'note': Note;
  'observed-data': ObservedData;
  'opinion': Opinion;
  'report': Report;
  'threat-actor': ThreatActor;
  'tool': Tool;
  'vulnerability': Vulnerability;
  'relationship': Relationship;
  'sighting': Sighting;
  'language-content': LanguageContent;
  'extension-definition': ExtensionDefinition;
  'artifact': Artifact;
  'autonomous-system': AutonomousSystem;
  'directory': Directory;
  'domain-name': DomainName;
  'email-addr': EmailAddr;
  'email-message': EmailMessage;
  'file': File;
  'ipv4-addr': Ipv4Addr;
  'ipv6-addr': Ipv6Addr;
  'mac-addr': MacAddr;
  'mutex': Mutex;
  'network-traffic': NetworkTraffic;
  'process': Process;
  'software': Software;
  'url': Url;
  'user-account': UserAccount;
  'windows-registry-key': WindowsRegistryKey;
  'x509-certificate': X509Certificate;
  'marking-definition': MarkingDefinition;
}

export type StixObjectType = keyof StixObjectMap;
export type KnownStixObject = StixObjectMap[StixObjectType];

/** A custom object (§11.1): any type outside the specification, with arbitrary extra properties. */
export interface CustomObject {
  type: string;
  id: Identifier;
  [property: string]: unknown;
}

export type StixObject = KnownStixObject | CustomObject;

/** §8 */
export interface Bundle {
  type: 'bundle';
  id: Identifier;
  objects?: StixObject[];
}