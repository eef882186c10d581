import type { Knex } from 'knex';

// The three tables every ingested object writes rows to lose their foreign key to collections: the database
// checked it for every row inserted (on PostgreSQL a trigger running a query per row, 13 % of the database's
// work during an ingest; on SQLite a lookup per row, no measurable cost), and it never decided anything.
// Every write to these tables runs in a transaction that has first updated the collection's counter row and
// refused the write when that row is missing (ObjectWrites.addWithin, ObjectStore.deleteVersions; ChangeStore
// writes inside them), and the server never deletes a collection's row. The other tables keep theirs.
//
// SQLite cannot drop a constraint: knex rebuilds the table (a copy, with its indexes created again). The copy
// would restart AUTOINCREMENT at the largest seq left, so the highest seq ever used is carried over.
const TABLES = ['objects', 'changes', 'object_endpoints'] as const;
const SEQUENCED = ['objects', 'changes'];

export async function up(knex: Knex): Promise<void> {
  const sequences = await autoincrementState(knex);
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropForeign(['collection_id']);
    });
  }
  await restoreAutoincrement(knex, sequences);
}

export async function down(knex: Knex): Promise<void> {
  const sequences = await autoincrementState(knex);
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.foreign('collection_id').references('id').inTable('collections').onDelete('CASCADE');
    });
  }
  await restoreAutoincrement(knex, sequences);
}

async function autoincrementState(knex: Knex): Promise<Map<string, number>> {
  if (knex.client.config.client !== 'better-sqlite3') return new Map();
  const rows: Array<{ name: string; seq: number }> = await knex('sqlite_sequence').whereIn('name', SEQUENCED).select('name', 'seq');
  return new Map(rows.map((r) => [r.name, Number(r.seq)]));
}

async function restoreAutoincrement(knex: Knex, sequences: Map<string, number>): Promise<void> {
  for (const [name, seq] of sequences) {
    const updated = await knex('sqlite_sequence').where({ name }).where('seq', '<', seq).update({ seq });
    if (updated === 0 && !(await knex('sqlite_sequence').where({ name }).first())) await knex('sqlite_sequence').insert({ name, seq });
  }
}
