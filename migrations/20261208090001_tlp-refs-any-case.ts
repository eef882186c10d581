import type { Knex } from 'knex';
import { tlpOfObject } from '../src/domain/tlp';
import { granularProfile } from '../src/stix/granular-redaction';

// TLP marking ids are read without regard to case (tlpMarkingOf in src/domain/tlp.ts). A version stored
// before that, marked with a TLP id written in capitals, holds the collection's default level instead of
// its marking's (`tlp`), and no granular level (`granular_tlp`, `redact_floor`): its levels are worked out
// again here, as the object store writes them. The change log keeps levels too, on the add and deletion
// events of deleted versions (`changes`); those of an earlier life of a version stored again get the levels
// worked out for it. Events of versions whose bodies are gone keep theirs: nothing is left to read their
// markings from. Review submissions and webhooks read the levels of the objects table.
//
// Only bodies with a marking id that has a capital hex digit are read, in keyset batches: PostgreSQL by a
// regular expression, SQLite by GLOB (case-sensitive), one pattern per position of the UUID (an id's UUID
// is the 36 characters after its `--`), behind one broad pattern that rules out bodies with no capital A-F
// anywhere after a marking id. The change log, which has no index by object, is read once, and only when such
// a version was found.
const BATCH = 500;
const REF_IN_CAPITALS = /marking-definition--[0-9a-fA-F-]*[A-F]/;
const UUID_LENGTH = 36;

function refsInCapitals(knex: Knex): Knex.Raw {
  if (knex.client.config.client === 'pg') return knex.raw(`body ~ ?`, [REF_IN_CAPITALS.source]);
  const positions = Array.from({ length: UUID_LENGTH }, (_, i) => `*marking-definition--${'?'.repeat(i)}[A-F]*`);
  return knex.raw(`body GLOB ? AND (${positions.map(() => 'body GLOB ?').join(' OR ')})`, ['*marking-definition--*[A-F]*', ...positions]);
}

type Level = number | string | null;
interface Levels {
  tlp: number | null;
  granular_tlp: number | null;
  redact_floor: number | null;
}

export async function up(knex: Knex): Promise<void> {
  const byVersion = new Map<string, Levels>();
  const versionOf = (r: { collection_id: string; stix_id: string; version: string }) => JSON.stringify([r.collection_id, r.stix_id, r.version]);
  let after = 0;
  for (;;) {
    const rows: Array<{ seq: number | string; collection_id: string; stix_id: string; version: string; body: string; tlp: Level; granular_tlp: Level; redact_floor: Level }> = await knex('objects')
      .where('seq', '>', after)
      .where(refsInCapitals(knex))
      .orderBy('seq')
      .limit(BATCH)
      .select('seq', 'collection_id', 'stix_id', 'version', 'body', 'tlp', 'granular_tlp', 'redact_floor');
    if (rows.length === 0) break;
    for (const r of rows) {
      if (!REF_IN_CAPITALS.test(r.body)) continue;
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(r.body);
      } catch {
        continue;
      }
      const profile = granularProfile(value);
      const levels: Levels = { tlp: tlpOfObject(value) ?? null, granular_tlp: profile?.tlp ?? null, redact_floor: profile?.redactFloor ?? null };
      byVersion.set(versionOf(r), levels);
      if (!same(levels, r)) await knex('objects').where('seq', r.seq).update(levels);
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
  if (byVersion.size === 0) return;
  after = 0;
  for (;;) {
    const events: Array<{ seq: number | string; collection_id: string; stix_id: string; version: string; tlp: Level; granular_tlp: Level; redact_floor: Level }> = await knex('changes')
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(BATCH)
      .select('seq', 'collection_id', 'stix_id', 'version', 'tlp', 'granular_tlp', 'redact_floor');
    if (events.length === 0) break;
    for (const e of events) {
      const levels = byVersion.get(versionOf(e));
      if (levels && !same(levels, e)) await knex('changes').where('seq', e.seq).update(levels);
    }
    after = Number(events[events.length - 1]!.seq);
  }
}

const num = (v: Level) => (v === null ? null : Number(v));
const same = (a: Levels, b: { tlp: Level; granular_tlp: Level; redact_floor: Level }) =>
  a.tlp === num(b.tlp) && a.granular_tlp === num(b.granular_tlp) && a.redact_floor === num(b.redact_floor);

// Nothing to undo: the levels set are the ones the objects' markings name.
export async function down(): Promise<void> {}
