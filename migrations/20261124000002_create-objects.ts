import type { Knex } from 'knex';

// Every stored version of every object, per collection. `body` is the JSON text exactly as posted.
// Flags `is_latest`/`is_first` are maintained at write time so that match[version]=last|first is an
// index range, never a scan over an object's versions. Flags are smallint (0/1) to stay portable.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('objects', (t) => {
    t.bigIncrements('seq').primary();
    t.string('collection_id', 36).notNullable().references('id').inTable('collections').onDelete('CASCADE');
    t.string('stix_id', 300).notNullable();
    t.string('type', 250).notNullable();
    t.string('spec_version', 16).notNullable();
    t.string('version_key', 40).notNullable();
    t.string('version', 40).notNullable();
    t.bigInteger('date_added_us').notNullable();
    t.smallint('is_latest').notNullable();
    t.smallint('is_first').notNullable();
    t.smallint('revoked').notNullable().defaultTo(0);
    t.smallint('tlp').nullable();
    t.text('body').notNullable();
    t.unique(['collection_id', 'stix_id', 'version_key'], { indexName: 'objects_version_uq' });
    t.unique(['collection_id', 'date_added_us'], { indexName: 'objects_date_added_uq' });
    t.index(['collection_id', 'is_latest', 'date_added_us'], 'objects_latest_idx');
    t.index(['collection_id', 'is_first', 'date_added_us'], 'objects_first_idx');
    t.index(['collection_id', 'type', 'is_latest', 'date_added_us'], 'objects_type_idx');
    t.index(['collection_id', 'stix_id', 'date_added_us'], 'objects_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('objects');
}
