import type { Knex } from 'knex';

// Webhook subscriptions. The change log is their outbox: an event is committed with its change, and each
// subscription keeps the position it has delivered up to (`position_us`), advanced only after the receiver
// accepted a batch, so a crash never loses one. `claimed_until_ms` is a lease taken with a conditional
// update, so that of several server processes only one delivers a subscription at a time.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhooks', (t) => {
    t.string('id', 36).primary();
    t.string('collection_id', 36).notNullable().references('id').inTable('collections').onDelete('CASCADE');
    t.string('principal_id', 64).notNullable();
    t.text('url').notNullable();
    t.text('secret').notNullable();
    t.text('types').nullable();
    t.smallint('max_tlp').nullable();
    t.smallint('default_tlp').nullable();
    t.bigInteger('position_us').notNullable();
    t.string('status', 16).notNullable();
    t.integer('failures').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_ms').notNullable().defaultTo(0);
    t.bigInteger('claimed_until_ms').notNullable().defaultTo(0);
    t.text('last_error').nullable();
    t.bigInteger('created_at_ms').notNullable();
    t.index(['status', 'next_attempt_ms'], 'webhooks_due_idx');
    t.index(['collection_id', 'principal_id'], 'webhooks_owner_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhooks');
}
