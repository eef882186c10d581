/**
 * Property-level rules of STIX 2.1 §2–§7 that a schema cannot express: SHOULDs (warnings) on names and
 * formats, and the external-reference MUSTs of §4.1 (CAPEC) and §4.20 (CVE). Every expression here is
 * linear (no nested or overlapping quantifiers; test/unit/stix/redos.test.ts).
 */
import { idType } from './ids';
import { relationshipListed, relationshipReversed } from './relationships';
import { isObject, ptr, truncate, type Obj } from './schema-findings';
import type { Finding } from './validation-result';

const CAPEC_ID = /^CAPEC-\d+$/;
const CVE_ID = /^CVE-\d{4}-(?:0\d{3}|[1-9]\d{3,})$/;
const MEDIA_TYPE = /^(?:application|audio|example|font|haptics|image|message|model|multipart|text|video)\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/**
 * §6.12 protocols: names from the IANA Service Name registry (lowercase), plus the network and transport
 * protocols of the IANA Protocol Numbers registry that the spec's own example uses ("ipv4", "tcp").
 * Compact on purpose: the common protocols of threat intelligence, not the whole registry.
 */
export const KNOWN_PROTOCOLS: ReadonlySet<string> = new Set([
  'ipv4', 'ipv6', 'tcp', 'udp', 'icmp', 'ipv6-icmp', 'igmp', 'sctp', 'gre', 'esp', 'ah', 'dccp',
  'http', 'https', 'http-alt', 'ssh', 'telnet', 'ftp', 'ftp-data', 'ftps', 'ftps-data', 'tftp', 'sftp', 'smtp', 'submission',
  'submissions', 'pop3', 'pop3s', 'imap', 'imaps', 'nntp', 'nntps', 'domain', 'domain-s', 'mdns', 'llmnr', 'ntp', 'snmp', 'snmptrap',
  'ldap', 'ldaps', 'kerberos', 'kpasswd', 'microsoft-ds', 'netbios-ns', 'netbios-dgm', 'netbios-ssn', 'ms-wbt-server', 'rfb', 'sip',
  'sips', 'rtsp', 'stun', 'turn', 'irc', 'ircs-u', 'xmpp-client', 'xmpp-server', 'mqtt', 'secure-mqtt', 'amqp', 'amqps', 'bgp',
  'bootps', 'bootpc', 'dhcpv6-client', 'dhcpv6-server', 'syslog', 'syslog-tls', 'socks', 'mysql', 'postgresql', 'ms-sql-s', 'ms-sql-m',
  'redis', 'mongodb', 'nfs', 'rsync', 'git', 'ipp', 'printer', 'isakmp', 'ipsec-nat-t', 'l2tp', 'pptp', 'openvpn', 'radius',
  'radius-acct', 'tacacs', 'nicname', 'finger', 'gopher', 'ssdp', 'wsman', 'wsmans', 'coap', 'dnp', 'epmap', 'ws-discovery',
]);

/** §2.8 (and §10 open vocabularies): all lowercase, hyphens rather than spaces or underscores between words. */
export function isLowercaseHyphenated(s: string): boolean {
  return s === s.toLowerCase() && s.indexOf(' ') < 0 && s.indexOf('_') < 0;
}

export function checkShoulds(object: Obj, type: string, isSdo: (t: string) => boolean, errors: Finding[], warnings: Finding[]): void {
  const phases = object.kill_chain_phases;
  if (Array.isArray(phases)) {
    for (let i = 0; i < phases.length; i++) {
      const p: unknown = phases[i];
      if (!isObject(p)) continue;
      for (const prop of ['kill_chain_name', 'phase_name'] as const) {
        const v = p[prop];
        if (typeof v === 'string' && !isLowercaseHyphenated(v)) {
          warnings.push({
            pointer: ptr('kill_chain_phases', i, prop), rule: 'kill-chain.name-format',
            message: `${prop} "${truncate(v)}" should be all lowercase with hyphens between words (STIX 2.1 §2.8), e.g. "${truncate(v.toLowerCase().replace(/[ _]+/g, '-'))}"`,
          });
        }
      }
    }
  }
  const refs = object.external_references;
  if (Array.isArray(refs)) {
    for (let i = 0; i < refs.length; i++) {
      const r: unknown = refs[i];
      if (!isObject(r) || typeof r.external_id !== 'string') continue;
      if (r.source_name === 'capec' && !CAPEC_ID.test(r.external_id)) {
        errors.push({
          pointer: ptr('external_references', i, 'external_id'), rule: 'external-ref.capec-id',
          message: `a CAPEC reference's external_id must be CAPEC-<id> (STIX 2.1 §4.1), e.g. "CAPEC-163" (got "${truncate(r.external_id)}")`,
        });
      } else if (r.source_name === 'cve' && !CVE_ID.test(r.external_id)) {
        errors.push({
          pointer: ptr('external_references', i, 'external_id'), rule: 'external-ref.cve-id',
          message: `a CVE reference's external_id must be the exact CVE identifier (STIX 2.1 §4.20), e.g. "CVE-2017-0144" (got "${truncate(r.external_id)}")`,
        });
      }
    }
  }
  switch (type) {
    case 'relationship':
      checkRelationshipType(object, isSdo, warnings);
      break;
    case 'network-traffic':
      checkNetworkTraffic(object, warnings);
      break;
    case 'malware-analysis':
      if (typeof object.product === 'string' && !isLowercaseHyphenated(object.product)) {
        warnings.push({ pointer: '/product', rule: 'malware-analysis.product-name', message: `product "${truncate(object.product)}" should be all lowercase with words separated by hyphens (STIX 2.1 §4.11), e.g. "microsoft-defender"` });
      }
      break;
    case 'file':
    case 'artifact':
      if (typeof object.mime_type === 'string' && !MEDIA_TYPE.test(object.mime_type)) {
        warnings.push({
          pointer: '/mime_type', rule: 'mime-type.format',
          message: `mime_type "${truncate(object.mime_type)}" should be an IANA media type template name such as "application/zip" (STIX 2.1 §6.1, §6.7)`,
        });
      }
      break;
    case 'process': {
      const ext = isObject(object.extensions) ? object.extensions['windows-process-ext'] : undefined;
      if (isObject(ext) && typeof ext.priority === 'string' && !ext.priority.endsWith('_CLASS')) {
        warnings.push({ pointer: '/extensions/windows-process-ext/priority', rule: 'process.priority-class', message: `priority "${truncate(ext.priority)}" should be a Windows priority class name ending in _CLASS (STIX 2.1 §6.11.2), e.g. "HIGH_PRIORITY_CLASS"` });
      }
      break;
    }
    case 'extension-definition': {
      const types = Array.isArray(object.extension_types) ? object.extension_types : [];
      const toplevel = types.includes('toplevel-property-extension');
      if (object.extension_properties !== undefined && !toplevel) {
        errors.push({ pointer: '/extension_properties', rule: 'extension-definition.properties', message: 'extension_properties may only be used when extension_types includes "toplevel-property-extension" (STIX 2.1 §7.3); remove it or add that extension type' });
      } else if (toplevel && object.extension_properties === undefined) {
        warnings.push({ pointer: '/extension_types', rule: 'extension-definition.properties-missing', message: 'a toplevel-property-extension should list the property names it adds in extension_properties (STIX 2.1 §7.3)' });
      }
      break;
    }
    default:
      break;
  }
}

/** §5.1: relationship_type should be a relationship the spec lists for the source and target SDO (see relationships.ts). */
function checkRelationshipType(object: Obj, isSdo: (t: string) => boolean, warnings: Finding[]): void {
  const rel = object.relationship_type;
  if (typeof rel !== 'string' || typeof object.source_ref !== 'string' || typeof object.target_ref !== 'string') return;
  const source = idType(object.source_ref);
  const target = idType(object.target_ref);
  if (source === undefined || target === undefined || !isSdo(source) || !isSdo(target)) return;
  if (relationshipListed(source, rel, target)) return;
  const hint = relationshipReversed(source, rel, target)
    ? `; the spec defines ${target} ${rel} ${source}: swap source_ref and target_ref`
    : '; use a relationship the spec lists for these types, or related-to';
  warnings.push({
    pointer: '/relationship_type', rule: 'relationship.type',
    message: `"${truncate(rel)}" is not a relationship STIX 2.1 defines from ${source} to ${target} (§4, §5.1)${hint}`,
  });
}

function checkNetworkTraffic(object: Obj, warnings: Finding[]): void {
  const protocols = object.protocols;
  if (Array.isArray(protocols)) {
    for (let i = 0; i < protocols.length; i++) {
      const p: unknown = protocols[i];
      if (typeof p !== 'string' || KNOWN_PROTOCOLS.has(p)) continue;
      warnings.push({
        pointer: ptr('protocols', i), rule: 'network-traffic.protocol',
        message: p !== p.toLowerCase()
          ? `protocol "${truncate(p)}" should be lowercase (STIX 2.1 §6.12), e.g. "${truncate(p.toLowerCase())}"`
          : `protocol "${truncate(p)}" is not an IANA service name this server knows (STIX 2.1 §6.12); use the IANA name if there is one (e.g. "domain" for DNS, "ms-wbt-server" for RDP, "microsoft-ds" for SMB)`,
      });
    }
  }
}
