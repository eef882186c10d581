import type { Tlp } from '../config/config';

/** TLP levels in order of restriction; the rank is what the store keeps per object version. */
export const TLP_LEVELS: readonly Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export function tlpRank(level: Tlp): number {
  return TLP_LEVELS.indexOf(level);
}

/** The predefined TLP 1.0 markings (STIX 2.1 §7.2.1.4) and the TLP 2.0 markings (OASIS common objects). */
export const TLP_MARKINGS: Readonly<Record<string, Tlp>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear', // TLP 1.0 WHITE
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'clear', // TLP 2.0
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'green',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'amber',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'amber+strict',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'red',
};

const TLP_BY_ID: ReadonlyMap<string, Tlp> = new Map(Object.entries(TLP_MARKINGS));

/**
 * The TLP level a marking id stands for, or undefined for any other id. Compared case-insensitively: a UUID
 * is read without regard to case (RFC 4122 §3), and the STIX schemas accept ids in capitals, so
 * "marking-definition--E828B379-…" is TLP:RED and must hide what it marks as surely as its lowercase form.
 */
export function tlpOfMarkingRef(ref: unknown): Tlp | undefined {
  if (typeof ref !== 'string') return undefined;
  return TLP_BY_ID.get(ref) ?? TLP_BY_ID.get(ref.toLowerCase());
}

/**
 * The most restrictive TLP among an object's object-level markings, or undefined when it carries none.
 * A TLP marking-definition object itself is as open as the level it defines: anyone cleared for
 * marked content must be able to read the definition.
 */
export function tlpOfObject(obj: Record<string, unknown>): number | undefined {
  if (obj.type === 'marking-definition' && tlpOfMarkingRef(obj.id) !== undefined) return tlpRank('clear');
  const refs = obj.object_marking_refs;
  if (!Array.isArray(refs)) return undefined;
  let rank: number | undefined;
  for (const r of refs) {
    const level = tlpOfMarkingRef(r);
    if (level !== undefined) rank = Math.max(rank ?? 0, tlpRank(level));
  }
  return rank;
}
