import type { Knex } from 'knex';

// API tokens (SHA-256 of the secret only), per-collection grants, client-certificate subjects and the
// audit log. A grant's principal is "user:<id>" or "token:<id>" (a standalone service token), so one
// table serves both kinds and the hot-path lookup is the primary-key prefix (principal_id).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('cert_subject', 256).nullable().unique();
  });
  await knex.schema.createTable('api_tokens', (t) => {
    t.string('id', 36).primary();
    t.string('name', 128).notNullable().unique();
    t.string('token_hash', 64).notNullable().unique();
    t.string('hint', 16).notNullable();
    t.string('user_id', 36).nullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('max_tlp', 16).nullable();
    t.bigInteger('created_at_ms').notNullable();
    t.bigInteger('expires_at_ms').nullable();
    t.bigInteger('last_used_at_ms').nullable();
    t.bigInteger('revoked_at_ms').nullable();
  });
  await knex.schema.createTable('grants', (t) => {
    t.string('principal_id', 64).notNullable();
    t.string('collection_id', 36).notNullable();
    t.smallint('can_read').notNullable().defaultTo(0);
    t.smallint('can_write').notNullable().defaultTo(0);
    t.bigInteger('updated_at_ms').notNullable();
    t.primary(['principal_id', 'collection_id']);
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('seq').primary();
    t.bigInteger('at_ms').notNullable();
    t.string('actor', 200).notNullable();
    t.string('action', 64).notNullable();
    t.string('target', 400).nullable();
    t.string('remote_addr', 64).nullable();
    t.text('details').nullable();
    t.index(['at_ms'], 'audit_log_at_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('grants');
  await knex.schema.dropTable('api_tokens');
  await knex.schema.alterTable('users', (t) => {
    t.dropUnique(['cert_subject']);
    t.dropColumn('cert_subject');
  });
}
