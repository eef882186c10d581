import type { Tlp } from '../config/config';

/** TLP levels in order of restriction; the rank is what the store keeps per object version. */
export const TLP_LEVELS: readonly Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export function tlpRank(level: Tlp): number {
  return TLP_LEVELS.indexOf(level);
}

/** A predefined TLP marking definition: its TLP edition, the level it stands for and its `name`. */
export interface TlpMarking {
  edition: 1 | 2;
  level: Tlp;
  name: string;
}

/**
 * The predefined TLP 1.0 markings (STIX 2.1 §7.2.1.4) and the TLP 2.0 markings (OASIS common objects), by
 * lowercase id. TLP 1.0 WHITE is TLP 2.0 CLEAR.
 */
const TLP_MARKINGS: ReadonlyMap<string, TlpMarking> = new Map<string, TlpMarking>([
  ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', { edition: 1, level: 'clear', name: 'TLP:WHITE' }],
  ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', { edition: 1, level: 'green', name: 'TLP:GREEN' }],
  ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', { edition: 1, level: 'amber', name: 'TLP:AMBER' }],
  ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', { edition: 1, level: 'red', name: 'TLP:RED' }],
  ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', { edition: 2, level: 'clear', name: 'TLP:CLEAR' }],
  ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', { edition: 2, level: 'green', name: 'TLP:GREEN' }],
  ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', { edition: 2, level: 'amber', name: 'TLP:AMBER' }],
  ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', { edition: 2, level: 'amber+strict', name: 'TLP:AMBER+STRICT' }],
  ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', { edition: 2, level: 'red', name: 'TLP:RED' }],
]);

/**
 * The predefined TLP marking a marking id names, or undefined for any other id. The one lookup of TLP ids:
 * compared case-insensitively, since a UUID is read without regard to case (RFC 4122 §3) and the STIX
 * schemas accept ids in capitals, so "marking-definition--E828B379-…" is TLP:RED and must hide what it
 * marks as surely as its lowercase form.
 */
export function tlpMarkingOf(ref: unknown): TlpMarking | undefined {
  return typeof ref === 'string' ? TLP_MARKINGS.get(ref.toLowerCase()) : undefined;
}

/** The TLP level a marking id stands for (tlpMarkingOf), or undefined for any other id. */
export function tlpOfMarkingRef(ref: unknown): Tlp | undefined {
  return tlpMarkingOf(ref)?.level;
}

/**
 * The most restrictive TLP among an object's object-level markings, or undefined when it carries none.
 * A TLP marking-definition object itself is as open as the level it defines: anyone cleared for
 * marked content must be able to read the definition.
 */
export function tlpOfObject(obj: Record<string, unknown>): number | undefined {
  if (obj.type === 'marking-definition' && tlpMarkingOf(obj.id) !== undefined) return tlpRank('clear');
  const refs = obj.object_marking_refs;
  if (!Array.isArray(refs)) return undefined;
  let rank: number | undefined;
  for (const r of refs) {
    const level = tlpOfMarkingRef(r);
    if (level !== undefined) rank = Math.max(rank ?? 0, tlpRank(level));
  }
  return rank;
}
