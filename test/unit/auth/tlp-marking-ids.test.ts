/**
 * A TLP marking id names its level whatever the case of its UUID (RFC 4122 §3), through the one lookup
 * (tlpMarkingOf in src/domain/tlp.ts) that the store's levels, the granular redaction, the review's
 * references and the console's labels all use.
 */
import { labelOf, objectRow } from '../../../src/console/views';
import { TLP_LEVELS, tlpMarkingOf, tlpOfMarkingRef, tlpOfObject, tlpRank } from '../../../src/domain/tlp';
import { referencedIds } from '../../../src/review/model';
import { granularProfile } from '../../../src/stix/granular-redaction';

const PREDEFINED: Array<[string, string]> = [
  ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'clear'],
  ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'green'],
  ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'amber'],
  ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'red'],
  ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'clear'],
  ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'green'],
  ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'amber'],
  ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'amber+strict'],
  ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', 'red'],
];
const RED2 = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const capitals = (id: string) => id.replace(/--(.*)$/, (_, uuid: string) => `--${uuid.toUpperCase()}`);
const mixed = (id: string) => id.replace(/[a-f](?=[0-9a-f]*-)/, (c) => c.toUpperCase());

test('When a predefined TLP id is written in lower case, in capitals or mixed, Then it names the same level', () => {
  for (const [id, level] of PREDEFINED) {
    for (const spelling of [id, capitals(id), mixed(id)]) expect(tlpOfMarkingRef(spelling)).toBe(level);
  }
  expect(tlpMarkingOf(capitals(RED2))).toEqual({ edition: 2, level: 'red', name: 'TLP:RED' });
});

test('When a marking id is not a predefined TLP id, Then it names no level', () => {
  for (const ref of ['marking-definition--0b6e4a2c-3c1c-4a47-9a3c-0f5a1c1e0001', 'identity--e828b379-4e03-4974-9ac4-e53a884c97c1', '', 'toString', '__proto__', 42, null, undefined]) {
    expect(tlpOfMarkingRef(ref)).toBeUndefined();
  }
});

test('When an object is marked TLP:RED in capitals beside TLP:CLEAR, Then its level is RED, in the store and on the console', () => {
  const o = { type: 'indicator', id: 'indicator--1', name: 'x', object_marking_refs: [PREDEFINED[4]![0], capitals(RED2)] };
  expect(tlpOfObject(o)).toBe(tlpRank('red'));
  expect(objectRow(o).tlp).toBe('RED');
  expect(labelOf(o)).toBe('x');
  expect(TLP_LEVELS[tlpOfObject({ type: 'marking-definition', id: capitals(RED2) })!]).toBe('clear');
});

test('When a granular marking names TLP:RED in capitals, Then the object has a granular level of RED', () => {
  const o = {
    type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000001', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
    description: 'secret', pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z',
    granular_markings: [{ marking_ref: capitals(RED2), selectors: ['description'] }],
  };
  expect(granularProfile(o)?.tlp).toBe(tlpRank('red'));
});

test('When a submission references TLP markings in capitals, Then the review does not count them as objects it depends on', () => {
  expect(referencedIds({ object_marking_refs: [capitals(RED2), mixed(PREDEFINED[3]![0])], created_by_ref: 'identity--1' })).toEqual(['identity--1']);
});
