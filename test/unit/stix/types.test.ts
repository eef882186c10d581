/**
 * Ties src/stix/types.ts to schemas/stix: REQUIRED is type-checked against the TypeScript model (a key
 * that is optional or missing in the type fails `tsc`), and compared here with each schema's required list.
 */
import { SchemaRegistry } from '../../../src/stix/schema-registry';
import type { StixObjectMap } from '../../../src/stix/types';

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T] & string;

type RequiredTable = { [K in keyof StixObjectMap]: ReadonlyArray<RequiredKeys<StixObjectMap[K]>> };

const SDO_REQ = ['type', 'spec_version', 'id', 'created', 'modified'] as const;
const SCO_REQ = ['type', 'id'] as const;

const REQUIRED: RequiredTable = {
  'attack-pattern': [...SDO_REQ, 'name'], campaign: [...SDO_REQ, 'name'], 'course-of-action': [...SDO_REQ, 'name'],
  grouping: [...SDO_REQ, 'context', 'object_refs'], identity: [...SDO_REQ, 'name'], incident: [...SDO_REQ, 'name'],
  indicator: [...SDO_REQ, 'pattern', 'pattern_type', 'valid_from'], infrastructure: [...SDO_REQ, 'name'], 'intrusion-set': [...SDO_REQ, 'name'],
  location: [...SDO_REQ], malware: [...SDO_REQ, 'is_family'], 'malware-analysis': [...SDO_REQ, 'product'], note: [...SDO_REQ, 'content', 'object_refs'],
  'observed-data': [...SDO_REQ, 'first_observed', 'last_observed', 'number_observed'], opinion: [...SDO_REQ, 'opinion', 'object_refs'],
  report: [...SDO_REQ, 'name', 'published', 'object_refs'], 'threat-actor': [...SDO_REQ, 'name'], tool: [...SDO_REQ, 'name'],
  vulnerability: [...SDO_REQ, 'name'], relationship: [...SDO_REQ, 'relationship_type', 'source_ref', 'target_ref'], sighting: [...SDO_REQ, 'sighting_of_ref'],
  'language-content': [...SDO_REQ, 'object_ref', 'contents'],
  'extension-definition': [...SDO_REQ, 'created_by_ref', 'name', 'schema', 'version', 'extension_types'],
  'marking-definition': ['type', 'spec_version', 'id', 'created'],
  artifact: [...SCO_REQ], 'autonomous-system': [...SCO_REQ, 'number'], directory: [...SCO_REQ, 'path'], 'domain-name': [...SCO_REQ, 'value'],
  'email-addr': [...SCO_REQ, 'value'], 'email-message': [...SCO_REQ, 'is_multipart'], file: [...SCO_REQ], 'ipv4-addr': [...SCO_REQ, 'value'],
  'ipv6-addr': [...SCO_REQ, 'value'], 'mac-addr': [...SCO_REQ, 'value'], mutex: [...SCO_REQ, 'name'], 'network-traffic': [...SCO_REQ, 'protocols'],
  process: [...SCO_REQ], software: [...SCO_REQ, 'name'], url: [...SCO_REQ, 'value'], 'user-account': [...SCO_REQ], 'windows-registry-key': [...SCO_REQ],
  'x509-certificate': [...SCO_REQ],
};

describe('STIX TypeScript model', () => {
  const registry = new SchemaRegistry();
  const types = Object.keys(REQUIRED) as Array<keyof StixObjectMap>;

  test('When every known type is listed, Then the model covers exactly the types the schemas define', () => {
    const schemaTypes = [...registry.schemas.keys()].map((f) => f.replace('.json', '')).filter((t) => registry.forType(t));
    expect([...types].sort()).toEqual(schemaTypes.sort());
  });

  test.each(types)('When the %s schema is read, Then its required properties are exactly the non-optional ones listed for the type', (type) => {
    expect([...registry.forType(type)!.required].sort()).toEqual([...REQUIRED[type]].sort());
  });
});
