import type { Knex } from 'knex';

// Web console sessions (src/console). The cookie carries a random id; only its SHA-256 is stored, so a copy
// of the table cannot be replayed as cookies. Kept in the database so that every process behind a load
// balancer knows every session.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('console_sessions', (t) => {
    t.string('id_hash', 64).primary();
    t.string('user_id', 36).notNullable();
    t.string('csrf_token', 64).notNullable();
    t.bigInteger('created_at_ms').notNullable();
    t.bigInteger('last_seen_ms').notNullable();
    // Sign-in purges idle sessions by this column.
    t.index(['last_seen_ms'], 'console_sessions_last_seen_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('console_sessions');
}
