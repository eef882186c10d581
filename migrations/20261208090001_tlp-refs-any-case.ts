import type { Knex } from 'knex';
import { tlpOfObject } from '../src/domain/tlp';
import { granularProfile } from '../src/stix/granular-redaction';

// TLP marking ids are read without regard to case (tlpOfMarkingRef in src/domain/tlp.ts). A version stored
// before that, marked with a TLP id written in capitals, holds the collection's default level instead of
// its marking's: its levels are worked out again here. Only bodies with a capital A-F after a marking id's
// prefix are read (GLOB is case-sensitive on SQLite, `~` on PostgreSQL), in keyset batches.
const BATCH = 500;

export async function up(knex: Knex): Promise<void> {
  const capitals = knex.client.config.client === 'pg' ? knex.raw(`body ~ 'marking-definition--[0-9a-fA-F-]*[A-F]'`) : knex.raw(`body GLOB '*marking-definition--*[A-F]*'`);
  let after = 0;
  for (;;) {
    const rows: Array<{ seq: number | string; body: string; tlp: number | string | null; granular_tlp: number | string | null; redact_floor: number | string | null }> = await knex('objects')
      .where('seq', '>', after)
      .where(capitals)
      .orderBy('seq')
      .limit(BATCH)
      .select('seq', 'body', 'tlp', 'granular_tlp', 'redact_floor');
    if (rows.length === 0) break;
    for (const r of rows) {
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(r.body);
      } catch {
        continue;
      }
      const profile = granularProfile(value);
      const levels = { tlp: tlpOfObject(value) ?? null, granular_tlp: profile?.tlp ?? null, redact_floor: profile?.redactFloor ?? null };
      const held = { tlp: num(r.tlp), granular_tlp: num(r.granular_tlp), redact_floor: num(r.redact_floor) };
      if (levels.tlp !== held.tlp || levels.granular_tlp !== held.granular_tlp || levels.redact_floor !== held.redact_floor) {
        await knex('objects').where('seq', r.seq).update(levels);
      }
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

// Nothing to undo: the levels set are the ones the objects' markings name.
export async function down(): Promise<void> {}
