import type { Knex } from 'knex';
import { granularProfile } from '../src/stix/granular-redaction';

// Granular TLP markings (STIX 2.1 §7.2.3): per object version, the most restrictive TLP its granular markings
// name (`granular_tlp`), and the lowest clearance for which the object stays valid STIX with the marked
// properties removed (`redact_floor`); both null for a version without granular TLP markings. Written with
// every version by the object store and copied to its change-log events, so that reads leave out withheld
// versions inside their queries. Filled here from the stored bodies; a deletion event whose version is gone
// keeps null (its id and version were already listed to the readers of that version's TLP).
const BATCH = 500;
const TABLES = ['objects', 'changes'];

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.smallint('granular_tlp').nullable();
      t.smallint('redact_floor').nullable();
    });
  }
  let after = 0;
  for (;;) {
    const rows: Array<{ seq: number | string; collection_id: string; date_added_us: number | string; body: string }> = await knex('objects')
      .where('seq', '>', after)
      .where('body', 'like', '%granular_markings%')
      .orderBy('seq')
      .limit(BATCH)
      .select('seq', 'collection_id', 'date_added_us', 'body');
    if (rows.length === 0) break;
    for (const r of rows) {
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(r.body);
      } catch {
        continue;
      }
      const profile = granularProfile(value);
      if (!profile) continue;
      const levels = { granular_tlp: profile.tlp, redact_floor: profile.redactFloor };
      await knex('objects').where('seq', r.seq).update(levels);
      await knex('changes').where({ collection_id: r.collection_id, position_us: r.date_added_us }).whereNot('change', 'deleted').update(levels);
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('granular_tlp');
      t.dropColumn('redact_floor');
    });
  }
}
