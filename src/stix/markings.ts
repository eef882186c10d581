/** Predefined marking definitions: TLP 1.0 (STIX 2.1 §7.2.1.4) and TLP 2.0 (FIRST, via its extension definition). */

export const TLP1_MARKINGS: Readonly<Record<string, { tlp: 'white' | 'green' | 'amber' | 'red'; name: string }>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': { tlp: 'white', name: 'TLP:WHITE' },
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': { tlp: 'green', name: 'TLP:GREEN' },
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': { tlp: 'amber', name: 'TLP:AMBER' },
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': { tlp: 'red', name: 'TLP:RED' },
};

/** §7.2.1.4: every TLP 1.0 definition was created at this instant. */
export const TLP1_CREATED = '2017-01-20T00:00:00.000Z';

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const TLP2_MARKINGS: Readonly<Record<string, { tlp_2_0: string; name: string }>> = {
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': { tlp_2_0: 'clear', name: 'TLP:CLEAR' },
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': { tlp_2_0: 'green', name: 'TLP:GREEN' },
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': { tlp_2_0: 'amber', name: 'TLP:AMBER' },
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': { tlp_2_0: 'amber+strict', name: 'TLP:AMBER+STRICT' },
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': { tlp_2_0: 'red', name: 'TLP:RED' },
};

/** Extension definitions whose use needs no custom-content permission: they are part of the published TLP 2.0 profile. */
export const WELL_KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([TLP2_EXTENSION_ID]);
