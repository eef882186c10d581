import type { Knex } from 'knex';

// Password users. Passwords are stored as scrypt hashes only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 36).primary();
    t.string('username', 128).notNullable().unique();
    t.text('password_hash').notNullable();
    t.smallint('is_admin').notNullable().defaultTo(0);
    t.smallint('disabled').notNullable().defaultTo(0);
    t.string('max_tlp', 16).notNullable().defaultTo('amber');
    t.bigInteger('created_at_ms').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
