import type { Knex } from 'knex';

// A reader limited by TLP gets the newest version it may see, which is not always the flagged latest one
// (see ObjectStore.whereEdge), so its match[type] pages walk every version of a type in date_added order:
// this index keeps that one ordered range instead of a sort.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('objects', (t) => {
    t.index(['collection_id', 'type', 'date_added_us'], 'objects_type_added_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('objects', (t) => {
    t.dropIndex(['collection_id', 'type', 'date_added_us'], 'objects_type_added_idx');
  });
}
