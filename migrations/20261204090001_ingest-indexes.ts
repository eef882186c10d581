import type { Knex } from 'knex';

// Two indexes keyed by object id go, the two that every stored version inserted into at a random place
// (observables have UUIDv5 ids): on a million-object collection they were half of SQLite's work per
// ingested object (docs/performance.md, "Issue 21, ninth pass").
// - objects_id_idx (collection_id, stix_id, date_added_us): the object's versions are found through
//   objects_version_uq (collection_id, stix_id, version_key) instead, and ordered by date_added after the
//   few rows of one object are read.
// - changes_id_idx (collection_id, stix_id, position_us): only retention used it, to find the add event of a
//   deleted version. An add event sits at its version's date_added, so a deletion event now records that
//   position (`added_us`) and retention finds the add event through changes_position_uq. Deletion events
//   already stored get it here, while the old index still serves the lookup.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('changes', (t) => {
    t.bigInteger('added_us').nullable();
  });
  await knex.raw(
    `update changes set added_us = (
       select max(a.position_us) from changes a
       where a.collection_id = changes.collection_id and a.stix_id = changes.stix_id and a.version = changes.version
         and a.change <> 'deleted' and a.position_us < changes.position_us)
     where change = 'deleted'`,
  );
  await knex.schema.alterTable('changes', (t) => {
    t.dropIndex([], 'changes_id_idx');
  });
  await knex.schema.alterTable('objects', (t) => {
    t.dropIndex([], 'objects_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('objects', (t) => {
    t.index(['collection_id', 'stix_id', 'date_added_us'], 'objects_id_idx');
  });
  await knex.schema.alterTable('changes', (t) => {
    t.index(['collection_id', 'stix_id', 'position_us'], 'changes_id_idx');
  });
  await knex.schema.alterTable('changes', (t) => {
    t.dropColumn('added_us');
  });
}
