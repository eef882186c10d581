import type { Knex } from 'knex';

// The asynchronous ingest queue (src/ingest). A job is one accepted envelope, answered 202 "pending"; its
// objects wait in chunks, each committed in one transaction together with its outcome and the job's
// progress (`next_chunk`, counts), so a crash never stores a chunk twice nor loses one. `lease_owner` and
// `lease_until_ms` make one server process at a time work on a job (a conditional update takes the lease).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ingest_jobs', (t) => {
    t.string('id', 36).primary();
    t.string('api_root', 64).notNullable();
    t.string('collection_id', 36).notNullable();
    t.text('principal').notNullable();
    t.string('state', 16).notNullable();
    t.integer('total_count').notNullable();
    t.integer('chunk_count').notNullable();
    t.integer('next_chunk').notNullable().defaultTo(0);
    t.integer('success_count').notNullable().defaultTo(0);
    t.integer('failure_count').notNullable().defaultTo(0);
    t.string('lease_owner', 200).nullable();
    t.bigInteger('lease_until_ms').notNullable().defaultTo(0);
    t.bigInteger('created_at_ms').notNullable();
    t.bigInteger('expires_at_ms').notNullable();
    t.index(['state', 'created_at_ms'], 'ingest_jobs_state_idx');
  });
  await knex.schema.createTable('ingest_chunks', (t) => {
    t.string('job_id', 36).notNullable().references('id').inTable('ingest_jobs').onDelete('CASCADE');
    t.integer('chunk_no').notNullable();
    t.text('objects').notNullable();
    t.text('pendings').notNullable();
    t.text('outcome').nullable();
    t.primary(['job_id', 'chunk_no']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ingest_chunks');
  await knex.schema.dropTable('ingest_jobs');
}
