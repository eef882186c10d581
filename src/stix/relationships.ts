import { own } from '../common/own';
/**
 * The relationships STIX 2.1 defines between SDOs (the "Relationships" table of each SDO in §4, whose
 * "Reverse Relationships" tables list the same rows seen from the target), and the SHOULD of §5.1:
 * relationship_type "SHOULD be an exact value listed in the relationships for the source and target SDO".
 *
 * Reading of that sentence (documented in docs/validation.md, rule `relationship.type`): the type must be
 * one the source SDO lists as its own relationship and one the target SDO lists among its reverse
 * relationships. A relationship used backwards (malware `indicates` indicator) therefore warns, while a
 * listed type between two SDOs of listed kinds (threat-actor `attributed-to` threat-actor: threat actors
 * attribute, and are attributed to) does not. Relationships with an SCO, custom or extension-defined end
 * are outside the sentence (it speaks of SDOs) and are not checked.
 */

/** The common relationship types every object may use (§4, "Common Relationships"). */
export const COMMON_RELATIONSHIPS: ReadonlySet<string> = new Set(['derived-from', 'duplicate-of', 'related-to']);

type Table = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** source SDO → relationship_type → target types, from each SDO's Relationships table (§4.1–§4.19). */
export const SDO_RELATIONSHIPS: Table = {
  'attack-pattern': { delivers: ['malware'], targets: ['identity', 'location', 'vulnerability'], uses: ['malware', 'tool'] },
  campaign: {
    'attributed-to': ['intrusion-set', 'threat-actor'], compromises: ['infrastructure'], 'originates-from': ['location'],
    targets: ['identity', 'location', 'vulnerability'], uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  'course-of-action': {
    investigates: ['indicator'], mitigates: ['attack-pattern', 'indicator', 'malware', 'tool', 'vulnerability'],
    remediates: ['malware', 'vulnerability'],
  },
  identity: { 'located-at': ['location'] },
  indicator: {
    indicates: ['attack-pattern', 'campaign', 'infrastructure', 'intrusion-set', 'malware', 'threat-actor', 'tool'],
    'based-on': ['observed-data'],
  },
  infrastructure: {
    'communicates-with': ['infrastructure'], 'consists-of': ['infrastructure', 'observed-data'], controls: ['infrastructure', 'malware'],
    delivers: ['malware'], has: ['vulnerability'], hosts: ['malware', 'tool'], 'located-at': ['location'], uses: ['infrastructure'],
  },
  'intrusion-set': {
    'attributed-to': ['threat-actor'], compromises: ['infrastructure'], hosts: ['infrastructure'], owns: ['infrastructure'],
    'originates-from': ['location'], targets: ['identity', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  malware: {
    'authored-by': ['intrusion-set', 'threat-actor'], 'beacons-to': ['infrastructure'], 'exfiltrates-to': ['infrastructure'],
    controls: ['malware'], downloads: ['malware', 'tool'], drops: ['malware', 'tool'], exploits: ['vulnerability'],
    'originates-from': ['location'], targets: ['identity', 'infrastructure', 'location'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'], 'variant-of': ['malware'],
  },
  'malware-analysis': { characterizes: ['malware'], 'analysis-of': ['malware'], 'static-analysis-of': ['malware'], 'dynamic-analysis-of': ['malware'] },
  'threat-actor': {
    'attributed-to': ['identity'], compromises: ['infrastructure'], hosts: ['infrastructure'], owns: ['infrastructure'],
    impersonates: ['identity'], 'located-at': ['location'], targets: ['identity', 'location', 'vulnerability'],
    uses: ['attack-pattern', 'infrastructure', 'malware', 'tool'],
  },
  tool: {
    delivers: ['malware'], drops: ['malware'], has: ['vulnerability'], targets: ['identity', 'infrastructure', 'location', 'vulnerability'],
    uses: ['infrastructure'],
  },
};

const FORWARD = new Map<string, ReadonlySet<string>>();
const REVERSE = new Map<string, Set<string>>();
for (const [source, rels] of Object.entries(SDO_RELATIONSHIPS)) {
  FORWARD.set(source, new Set(Object.keys(rels)));
  for (const [rel, targets] of Object.entries(rels)) {
    for (const t of targets) {
      let s = REVERSE.get(t);
      if (!s) REVERSE.set(t, (s = new Set()));
      s.add(rel);
    }
  }
}

/** Whether the relationship_type is one the source SDO lists and the target SDO lists as a reverse relationship. */
export function relationshipListed(source: string, rel: string, target: string): boolean {
  return COMMON_RELATIONSHIPS.has(rel) || (FORWARD.get(source)?.has(rel) === true && REVERSE.get(target)?.has(rel) === true);
}

/** Whether the spec lists this relationship the other way round (target `rel` source). */
export function relationshipReversed(source: string, rel: string, target: string): boolean {
  const rels = own(SDO_RELATIONSHIPS, target);
  return rels !== undefined && own(rels, rel)?.includes(source) === true;
}
