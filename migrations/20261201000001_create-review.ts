import type { Knex } from 'knex';

// The curators' review workflow (src/review). `grants.can_curate` is the right to approve into a
// collection. `review_submissions` holds one row per object version that landed in a review inbox, with
// its state and decision; `review_publications` records, per version published by an approval, who
// approved it, when, from which submission and with which note (provenance).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('grants', (t) => {
    t.smallint('can_curate').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('review_submissions', (t) => {
    t.bigIncrements('seq').primary();
    t.string('id', 36).notNullable().unique('review_submissions_id_uq');
    t.string('inbox_collection_id', 36).notNullable().references('id').inTable('collections').onDelete('CASCADE');
    t.string('stix_id', 300).notNullable();
    t.string('type', 250).notNullable();
    t.string('version_key', 40).notNullable();
    t.string('version', 40).notNullable();
    t.string('state', 16).notNullable();
    t.string('submitter_id', 64).notNullable();
    t.string('submitter_name', 200).notNullable();
    t.string('status_id', 36).nullable();
    t.bigInteger('submitted_at_ms').notNullable();
    t.bigInteger('decided_at_ms').nullable();
    t.string('decided_by_id', 64).nullable();
    t.string('decided_by_name', 200).nullable();
    t.text('reason').nullable();
    t.text('note').nullable();
    t.string('published_into', 36).nullable();
    t.bigInteger('published_date_added_us').nullable();
    t.unique(['inbox_collection_id', 'stix_id', 'version_key'], { indexName: 'review_submissions_version_uq' });
    t.index(['inbox_collection_id', 'state', 'seq'], 'review_submissions_state_idx');
    t.index(['inbox_collection_id', 'seq'], 'review_submissions_inbox_idx');
  });
  await knex.schema.createTable('review_publications', (t) => {
    t.string('collection_id', 36).notNullable().references('id').inTable('collections').onDelete('CASCADE');
    t.string('stix_id', 300).notNullable();
    t.string('version', 40).notNullable();
    t.bigInteger('date_added_us').notNullable();
    t.string('submission_id', 36).notNullable();
    t.string('approved_by_id', 64).notNullable();
    t.string('approved_by_name', 200).notNullable();
    t.bigInteger('approved_at_ms').notNullable();
    t.text('note').nullable();
    t.primary(['collection_id', 'stix_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('review_publications');
  await knex.schema.dropTable('review_submissions');
  await knex.schema.alterTable('grants', (t) => {
    t.dropColumn('can_curate');
  });
}
