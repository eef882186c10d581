import type { PreparedObject } from '../../src/domain/types';

/**
 * Indicator number `n` as the store receives it (already validated and keyed), for tests that write
 * through ObjectStore directly. Ids are fixed by `n`, so two calls with one `n` are the same object.
 */
export function preparedIndicator(n: number): PreparedObject {
  const value = {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '175.45.178.19']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
  };
  return {
    stixId: value.id,
    type: value.type,
    specVersion: '2.1',
    version: value.modified,
    versionKey: value.modified.replace(/\D/g, ''),
    revoked: false,
    body: JSON.stringify(value),
    value,
  };
}
