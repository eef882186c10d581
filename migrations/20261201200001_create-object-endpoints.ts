import type { Knex } from 'knex';

// The objects a relationship or sighting names as its endpoints (source_ref, target_ref, sighting_of_ref,
// observed_data_refs, where_sighted_refs), over all its versions, so that a read can leave out those whose
// endpoint the reader may not see inside the page query. Filled from the stored bodies on the way up.
const TYPES = ['relationship', 'sighting'];
const BATCH = 500;

function endpointsOf(value: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const k of ['source_ref', 'target_ref', 'sighting_of_ref']) if (typeof value[k] === 'string') out.add(value[k] as string);
  for (const k of ['observed_data_refs', 'where_sighted_refs']) {
    const list = value[k];
    if (Array.isArray(list)) for (const r of list) if (typeof r === 'string') out.add(r);
  }
  return [...out];
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('object_endpoints', (t) => {
    t.string('collection_id', 36).notNullable().references('id').inTable('collections').onDelete('CASCADE');
    t.string('stix_id', 300).notNullable();
    t.string('ref_id', 300).notNullable();
    t.primary(['collection_id', 'stix_id', 'ref_id']);
  });
  let after = 0;
  for (;;) {
    const rows: Array<{ seq: number | string; collection_id: string; stix_id: string; body: string }> = await knex('objects')
      .whereIn('type', TYPES)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(BATCH)
      .select('seq', 'collection_id', 'stix_id', 'body');
    if (rows.length === 0) break;
    const links = rows.flatMap((r) => {
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(r.body);
      } catch {
        return [];
      }
      return endpointsOf(value).map((ref_id) => ({ collection_id: r.collection_id, stix_id: r.stix_id, ref_id }));
    });
    if (links.length) await knex('object_endpoints').insert(links).onConflict(['collection_id', 'stix_id', 'ref_id']).ignore();
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('object_endpoints');
}
