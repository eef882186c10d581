import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { tlpOfObject, tlpRank } from '../../src/domain/tlp';
import { parsePattern } from '../../src/stix/pattern/parser';
import {
  COLLECTION_ALIASES,
  MS_TIMESTAMP,
  REPO_ROOT,
  TIMESTAMP_PROPS,
  THIRD_PARTY_IDS,
  TLP2_EXTENSION,
  TLP_CLEAR,
  TLP_WHITE,
  WALLET_TYPE,
  allSeedObjects,
  collectionObjects,
  expectedScoId,
  extensionDefinitionKeys,
  feedIdentityId,
  findRefs,
  isSco,
  isSdoOrSro,
  seedFiles,
  type StixObject,
} from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([1-8])[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const everything = allSeedObjects();
const contextObjects = collectionObjects('dprk-crypto-context');
const indicatorObjects = collectionObjects('dprk-crypto-indicators');
const FEED = feedIdentityId(contextObjects);

function uuidVersion(id: string): number | undefined {
  const m = UUID.exec(id.slice(id.indexOf('--') + 2));
  return m ? Number(m[1]) : undefined;
}

describe('Seed bundles', () => {
  it.each(COLLECTION_ALIASES)('When the %s seed is read, Then every file is a STIX bundle with unique object ids', (alias) => {
    const files = seedFiles(alias);
    expect(files.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const { bundle } of files) {
      expect(bundle.type).toBe('bundle');
      expect(bundle.id).toMatch(/^bundle--/);
      expect(uuidVersion(bundle.id)).toBe(4);
      expect(Array.isArray(bundle.objects)).toBe(true);
      for (const o of bundle.objects) {
        expect(seen.has(o.id)).toBe(false);
        seen.add(o.id);
      }
    }
  });

  it('When the build script is re-run in check mode, Then it reproduces the committed seed byte for byte', () => {
    expect(() =>
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'seed', 'tools', 'build-feed.js'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('When an object appears in several collections, Then it is byte-identical in all of them', () => {
    const first = new Map<string, string>();
    let shared = 0;
    for (const { object } of everything) {
      const text = JSON.stringify(object);
      const seen = first.get(object.id);
      if (seen === undefined) first.set(object.id, text);
      else {
        shared += 1;
        expect(text).toBe(seen);
      }
    }
    expect(shared).toBeGreaterThan(0);
  });

  it.each(COLLECTION_ALIASES)('When the %s bundle file is read, Then it holds one compact JSON object per line, as the server will serve it', (alias) => {
    for (const { file } of seedFiles(alias)) {
      const lines = fs.readFileSync(path.join(REPO_ROOT, 'seed', file), 'utf8').split('\n');
      const objectLines = lines.slice(1, -2);
      expect(objectLines.length).toBeGreaterThan(0);
      for (const line of objectLines) {
        const text = line.endsWith(',') ? line.slice(0, -1) : line;
        expect(JSON.stringify(JSON.parse(text))).toBe(text);
      }
    }
  });
});

describe('Seed object shape', () => {
  it.each(everything.map(({ alias, object }) => [alias, object.id, object] as const))(
    'When %s object %s is checked, Then it has a type--uuid id, spec_version 2.1, ms timestamps and modified >= created',
    (_alias, _id, o) => {
      expect(o.id.startsWith(`${o.type}--`)).toBe(true);
      expect(uuidVersion(o.id)).toBe(isSco(o) ? 5 : 4);
      expect(o.spec_version).toBe('2.1');
      for (const p of TIMESTAMP_PROPS) {
        if (o[p] !== undefined) expect(o[p]).toMatch(MS_TIMESTAMP);
      }
      if (!isSco(o)) expect(o.created).toMatch(MS_TIMESTAMP);
      if (o.modified !== undefined) expect(String(o.modified) >= String(o.created)).toBe(true);
      if (o.last_seen !== undefined) expect(String(o.last_seen) >= String(o.first_seen)).toBe(true);
      if (o.valid_until !== undefined) expect(String(o.valid_until) > String(o.valid_from)).toBe(true);
      if (o.confidence !== undefined) {
        expect(Number.isInteger(o.confidence)).toBe(true);
        expect(o.confidence).toBeGreaterThanOrEqual(0);
        expect(o.confidence).toBeLessThanOrEqual(100);
      }
    },
  );
});

describe('Seed references', () => {
  it.each(COLLECTION_ALIASES)('When every *_ref and *_refs in %s is followed, Then its target is in the same collection', (alias) => {
    const objects = collectionObjects(alias);
    const ids = new Set(objects.map((o) => o.id));
    const dangling: string[] = [];
    let walked = 0;
    for (const o of objects) {
      for (const { pointer, ref } of findRefs(o)) {
        walked += 1;
        if (!ids.has(ref)) dangling.push(`${o.id}${pointer} -> ${ref}`);
      }
      for (const ext of extensionDefinitionKeys(o)) if (!ids.has(ext)) dangling.push(`${o.id} extension ${ext}`);
    }
    expect(walked).toBeGreaterThan(objects.length);
    expect(dangling).toEqual([]);
  });

  it('When relationships are checked, Then each one has a type, a source and a target of the expected kinds', () => {
    for (const o of everything.map((e) => e.object).filter((x) => x.type === 'relationship')) {
      expect(typeof o.relationship_type).toBe('string');
      expect(String(o.source_ref)).not.toBe(String(o.target_ref));
      if (o.relationship_type === 'based-on') {
        expect(String(o.source_ref)).toMatch(/^indicator--/);
        expect(isSco({ type: String(o.target_ref).split('--')[0]!, id: String(o.target_ref) })).toBe(true);
      }
      if (o.relationship_type === 'indicates') {
        expect(String(o.source_ref)).toMatch(/^indicator--/);
        expect(String(o.target_ref)).toMatch(/^(attack-pattern|campaign|infrastructure|intrusion-set|malware|threat-actor|tool)--/);
      }
    }
  });
});

describe('Seed sourcing and markings', () => {
  it('When SDOs and SROs are checked, Then every one except the feed identity cites a source URL', () => {
    const missing = everything
      .map((e) => e.object)
      .filter((o) => isSdoOrSro(o) && o.id !== FEED)
      .filter((o) => {
        const refs = (o.external_references as Array<Record<string, unknown>> | undefined) ?? [];
        return !refs.some((r) => typeof r.source_name === 'string' && typeof r.url === 'string' && /^https?:\/\//.test(r.url));
      })
      .map((o) => o.id);
    expect(missing).toEqual([]);
  });

  it('When hand-authored objects are checked, Then created_by_ref is the feed identity', () => {
    const wrong = everything
      .map((e) => e.object)
      .filter((o) => !isSco(o) && o.id !== FEED && !THIRD_PARTY_IDS.has(o.id) && o.type !== 'marking-definition')
      .filter((o) => o.created_by_ref !== FEED)
      .map((o) => o.id);
    expect(wrong).toEqual([]);
  });

  it('When objects that can carry markings are checked, Then each has TLP:CLEAR (TLP 2.0) and TLP:WHITE (TLP 1.0)', () => {
    const unmarked = everything
      .map((e) => e.object)
      .filter((o) => !THIRD_PARTY_IDS.has(o.id))
      .filter((o) => {
        const refs = (o.object_marking_refs as string[] | undefined) ?? [];
        return !(refs.includes(TLP_CLEAR) && refs.includes(TLP_WHITE));
      })
      .map((o) => o.id);
    expect(unmarked).toEqual([]);
  });

  it('When the objects without object_marking_refs are listed, Then they are only the published TLP definitions, each as open as TLP:CLEAR', () => {
    const unmarked = [...new Set(everything.map((e) => e.object).filter((o) => !Array.isArray(o.object_marking_refs)).map((o) => o.id))].sort();
    // Marking definitions cannot be versioned (STIX 2.1 §7.2.1) and the TLP 2.0 extension-definition is
    // CISA's, so none of the three may be changed to add markings; the server rates the TLP definitions
    // TLP:CLEAR, and every collection holding the extension-definition defaults unmarked objects to clear.
    expect(unmarked).toEqual([...THIRD_PARTY_IDS].sort());
    for (const id of [TLP_CLEAR, TLP_WHITE]) {
      expect(tlpOfObject(everything.find((e) => e.object.id === id)!.object)).toBe(tlpRank('clear'));
    }
    const defaults = loadConfig({}).apiRoots.flatMap((r) => r.collections);
    for (const alias of COLLECTION_ALIASES) {
      expect(defaults.find((c) => c.alias === alias)?.defaultTlp).toBe('clear');
    }
  });

  it.each(COLLECTION_ALIASES)('When the %s seed is read, Then it holds the standard TLP definitions and the TLP 2.0 extension', (alias) => {
    const byId = new Map(collectionObjects(alias).map((o) => [o.id, o]));
    expect(byId.get(TLP_WHITE)).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP_WHITE,
      created: '2017-01-20T00:00:00.000Z',
      definition_type: 'tlp',
      name: 'TLP:WHITE',
      definition: { tlp: 'white' },
    });
    expect(byId.get(TLP_CLEAR)).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP_CLEAR,
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:CLEAR',
      extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: 'clear' } },
    });
    const ext = byId.get(TLP2_EXTENSION);
    expect(ext).toMatchObject({ type: 'extension-definition', name: 'TLP 2.0', version: '1.0.0', extension_types: ['property-extension'] });
    expect(byId.has(String(ext?.created_by_ref))).toBe(true);
  });
});

describe('Seed indicators', () => {
  const indicators = indicatorObjects.filter((o) => o.type === 'indicator');
  const rels = indicatorObjects.filter((o) => o.type === 'relationship');
  const byId = new Map(indicatorObjects.map((o) => [o.id, o]));
  const ONE_COMPARISON = /^\[([a-z0-9-]+):([a-z0-9_]+(?:\.'[A-Za-z0-9-]+'|\.[A-Za-z0-9_]+)?) = '((?:[^'\\]|\\.)*)'\]$/;

  it('When the blocklist collection is read, Then it is indicators only, all current high-confidence malicious-activity with a verified source, plus what they refer to', () => {
    const blocklist = collectionObjects('dprk-crypto-blocklist');
    const kinds = new Set(blocklist.map((o) => o.type));
    expect([...kinds].sort()).toEqual(['extension-definition', 'identity', 'indicator', 'marking-definition']);
    const listed = blocklist.filter((o) => o.type === 'indicator');
    const verified = (o: StixObject) =>
      ((o.external_references as Array<Record<string, unknown>> | undefined) ?? []).some((r) => String(r.description ?? '').startsWith('[V]'));
    const expected = indicators.filter(
      (o) => !o.revoked && Number(o.confidence) >= 75 && (o.indicator_types as string[]).includes('malicious-activity') && verified(o),
    );
    expect(listed.map((o) => o.id).sort()).toEqual(expected.map((o) => o.id).sort());
    expect(listed.length).toBeGreaterThanOrEqual(200);
  });

  it('When the indicators collection is read, Then it has indicators and no context-only reports', () => {
    expect(indicators.length).toBeGreaterThanOrEqual(200);
    expect(indicatorObjects.some((o) => o.type === 'report')).toBe(false);
    expect(contextObjects.some((o) => o.type === 'indicator')).toBe(false);
  });

  it.each(indicators.map((i) => [String(i.name), i] as const))(
    'When indicator "%s" is checked, Then it is a SIEM-ready one-comparison STIX pattern matching its based-on observable',
    (_name, ind) => {
      expect(ind.pattern_type).toBe('stix');
      expect(ind.pattern_version).toBe('2.1');
      expect(ind.valid_from).toMatch(MS_TIMESTAMP);
      expect(typeof ind.description).toBe('string');
      expect((ind.indicator_types as string[]).length).toBeGreaterThan(0);
      expect(typeof ind.confidence).toBe('number');
      const ast = parsePattern(String(ind.pattern));
      expect(ast.kind).toBe('observation');
      if (ast.kind === 'observation') {
        expect(ast.comparison).toMatchObject({ kind: 'comparison', operator: '=', negated: false });
      }
      const m = ONE_COMPARISON.exec(String(ind.pattern));
      expect(m).not.toBeNull();
      const [, objType, objPath, literal] = m!;
      const value = literal!.replace(/\\(.)/g, '$1');

      const basedOn = rels.filter((r) => r.relationship_type === 'based-on' && r.source_ref === ind.id);
      expect(basedOn).toHaveLength(1);
      const sco = byId.get(String(basedOn[0]!.target_ref)) as StixObject;
      expect(sco.type).toBe(objType);
      const hashPath = /^hashes\.'(.+)'$/.exec(objPath!);
      const actual = hashPath ? (sco.hashes as Record<string, string>)[hashPath[1]!] : sco[objPath!];
      expect(actual).toBe(value);

      expect(rels.some((r) => r.relationship_type === 'indicates' && r.source_ref === ind.id)).toBe(true);
    },
  );

  it('When SCOs are checked, Then each id is the STIX 2.1 UUIDv5 of its ID-contributing properties', () => {
    const scos = new Map(everything.map((e) => e.object).filter(isSco).map((o) => [o.id, o]));
    expect(scos.size).toBeGreaterThan(0);
    for (const o of scos.values()) expect(o.id).toBe(expectedScoId(o));
  });

  it('When src/stix/ids.ts exports computeScoId, Then it agrees with the seed SCO ids for standard types', () => {
    const idsModule = path.join(REPO_ROOT, 'src', 'stix', 'ids.ts');
    if (!fs.existsSync(idsModule)) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('../../src/stix/ids') as { computeScoId?: (o: Record<string, unknown>) => string | undefined };
    if (typeof mod.computeScoId !== 'function') return;
    const standard = everything.map((e) => e.object).filter((o) => isSco(o) && o.type !== WALLET_TYPE);
    expect(standard.length).toBeGreaterThan(0);
    for (const o of standard) expect(mod.computeScoId(o)).toBe(o.id);
  });

  it('When the deterministic ids are computed, Then they agree with the values given in the fact sheet', () => {
    const expected: Record<string, string> = {
      'domain-name--375f2e08-3d97-595e-95bb-a7b16b2d3516': 'barjuok.ryongnamsan.edu.kp',
      'domain-name--5ade51ab-fdba-5a95-a9be-bfbe2f316cb7': 'celasllc.com',
      'ipv4-addr--172192f2-8a95-5fff-ae7e-4ea30f9100d5': '175.45.178.19',
      'ipv4-addr--a5e6ff89-a349-5d64-83f4-90958212ce7e': '175.45.176.0/22',
      'file--28fa0664-0ba7-50fd-a92b-c532926eb16e': '0024e32c0199ded445c0b968601f21cc92fc0c534d2642f2dd64c1c978ff01f3',
      'file--b0466935-3f96-5865-b28e-ca11fef6c29c': '42300b6a09f183ae167d7a11d9c6df21d022a5f02df346350d3d875d557d3b76',
    };
    const byIdAll = new Map(everything.map((e) => [e.object.id, e.object]));
    for (const [id, value] of Object.entries(expected)) {
      const o = byIdAll.get(id);
      expect(o).toBeDefined();
      const shown = o!.type === 'file' ? (o!.hashes as Record<string, string>)['SHA-256'] : o!.value;
      expect(shown).toBe(value);
    }
  });
});
