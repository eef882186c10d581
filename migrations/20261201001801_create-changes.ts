import type { Knex } from 'knex';

// The change log: one row per committed add, revocation or deletion of an object version. `position_us`
// comes from the collection's date_added counter (collections.last_date_added_us), so positions are
// commit-ordered exactly as date_added is; an add's position is its version's date_added. `tlp` is the
// version's TLP rank, so a reader's clearance filters inside the query. `changes_pruned` holds per collection
// the newest position of a delete event removed by retention: a reader behind it must resync.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('changes', (t) => {
    t.bigIncrements('seq').primary();
    t.string('collection_id', 36).notNullable().references('id').inTable('collections').onDelete('CASCADE');
    t.bigInteger('position_us').notNullable();
    t.string('stix_id', 300).notNullable();
    t.string('type', 250).notNullable();
    t.string('version', 40).notNullable();
    t.string('change', 16).notNullable();
    t.smallint('tlp').nullable();
    t.unique(['collection_id', 'position_us'], { indexName: 'changes_position_uq' });
    t.index(['collection_id', 'stix_id', 'position_us'], 'changes_id_idx');
    t.index(['change', 'position_us'], 'changes_kind_idx');
  });
  // A table of its own rather than a column of collections: undoing this migration then never rebuilds
  // the collections table (which SQLite does to drop a column, cascading to the objects).
  await knex.schema.createTable('changes_pruned', (t) => {
    t.string('collection_id', 36).primary().references('id').inTable('collections').onDelete('CASCADE');
    t.bigInteger('pruned_through_us').notNullable();
  });
  // Versions stored before the change log existed: one add (or revocation) event each, at its date_added.
  await knex.raw(
    `insert into changes (collection_id, position_us, stix_id, type, version, change, tlp)
     select collection_id, date_added_us, stix_id, type, version, case when revoked = 1 then 'revoked' else 'added' end, tlp from objects`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('changes_pruned');
  await knex.schema.dropTable('changes');
}
