/** The STIX 2.1 object types this project knows, grouped the way the spec groups them (§4–§8). */

export const SDO_TYPES = [
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure',
  'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report',
  'threat-actor', 'tool', 'vulnerability',
] as const;

export const SRO_TYPES = ['relationship', 'sighting'] as const;

export const SCO_TYPES = [
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr',
  'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account',
  'windows-registry-key', 'x509-certificate',
] as const;

export const META_TYPES = ['marking-definition', 'language-content', 'extension-definition'] as const;

/** Predefined SCO extensions (§6) and the SCO type each one belongs to. */
export const SCO_EXTENSIONS = {
  'archive-ext': 'file',
  'ntfs-ext': 'file',
  'pdf-ext': 'file',
  'raster-image-ext': 'file',
  'windows-pebinary-ext': 'file',
  'http-request-ext': 'network-traffic',
  'icmp-ext': 'network-traffic',
  'socket-ext': 'network-traffic',
  'tcp-ext': 'network-traffic',
  'windows-process-ext': 'process',
  'windows-service-ext': 'process',
  'unix-account-ext': 'user-account',
} as const;

export type SdoType = (typeof SDO_TYPES)[number];
export type SroType = (typeof SRO_TYPES)[number];
export type ScoType = (typeof SCO_TYPES)[number];
export type MetaType = (typeof META_TYPES)[number];
export type KnownStixType = SdoType | SroType | ScoType | MetaType;
export type ScoExtensionName = keyof typeof SCO_EXTENSIONS;

const SDO_SET: ReadonlySet<string> = new Set(SDO_TYPES);
const SCO_SET: ReadonlySet<string> = new Set(SCO_TYPES);
const SRO_SET: ReadonlySet<string> = new Set(SRO_TYPES);
const META_SET: ReadonlySet<string> = new Set(META_TYPES);

export const isSdoType = (t: string): boolean => SDO_SET.has(t);
export const isScoType = (t: string): boolean => SCO_SET.has(t);
export const isSroType = (t: string): boolean => SRO_SET.has(t);
export const isMetaType = (t: string): boolean => META_SET.has(t);
export const isKnownType = (t: string): boolean => SDO_SET.has(t) || SCO_SET.has(t) || SRO_SET.has(t) || META_SET.has(t);
