import type { Knex } from 'knex';

// PostgreSQL: no planner statistics for objects.body. No query filters, joins or sorts on a stored body, yet
// every ANALYZE of objects sampled, detoasted and sorted thousands of them: on a 65,000-object table an
// ANALYZE took 195-203 ms without the bodies against 223-320 ms with them (docs/performance.md, "Issue 21,
// nineteenth pass"). SQLite keeps no per-column statistics target; there this changes nothing.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') await knex.raw('ALTER TABLE objects ALTER COLUMN body SET STATISTICS 0');
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') await knex.raw('ALTER TABLE objects ALTER COLUMN body SET STATISTICS -1');
}
