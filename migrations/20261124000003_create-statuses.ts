import type { Knex } from 'knex';

// Add-objects status resources, kept as the JSON served at status/{id}/ until `expires_at_ms`.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('statuses', (t) => {
    t.string('id', 36).primary();
    t.string('api_root', 64).notNullable();
    t.string('collection_id', 36).notNullable();
    t.string('principal_id', 64).nullable();
    t.bigInteger('created_at_ms').notNullable();
    t.bigInteger('expires_at_ms').notNullable();
    t.text('body').notNullable();
    t.index(['expires_at_ms'], 'statuses_expiry_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('statuses');
}
