/**
 * Predefined marking definitions: TLP 1.0 (STIX 2.1 §7.2.1.4) and TLP 2.0 (FIRST, via its extension
 * definition). Their ids, levels and names are in src/domain/tlp.ts (tlpMarkingOf); what a definition
 * must contain is here.
 */
import type { Tlp } from '../config/config';
import { TLP_LEVELS } from '../domain/tlp';

/** §7.2.1.4: every TLP 1.0 definition was created at this instant. */
export const TLP1_CREATED = '2017-01-20T00:00:00.000Z';

/** The `definition.tlp` of a TLP 1.0 definition: its CLEAR is called "white". */
export function tlp1Value(level: Tlp): string {
  return level === 'clear' ? 'white' : level;
}

/** The values `definition.tlp` (TLP 1.0) and the extension's `tlp_2_0` (TLP 2.0) may take. */
export const TLP1_VALUES: ReadonlySet<unknown> = new Set(['white', 'green', 'amber', 'red']);
export const TLP2_VALUES: ReadonlySet<unknown> = new Set(TLP_LEVELS);

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** Extension definitions whose use needs no custom-content permission: they are part of the published TLP 2.0 profile. */
export const WELL_KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([TLP2_EXTENSION_ID]);
