import type { Knex } from 'knex';

// One row per configured collection. `last_date_added_us` is the per-collection counter that every
// writing transaction locks and advances, which makes date_added commit-ordered (see object-store.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('collections', (t) => {
    t.string('id', 36).primary();
    t.string('api_root', 64).notNullable();
    t.bigInteger('last_date_added_us').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('settings', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('settings');
  await knex.schema.dropTable('collections');
}
