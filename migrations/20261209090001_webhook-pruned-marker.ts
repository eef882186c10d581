import type { Knex } from 'knex';

// Where retention had removed deletion events to when a webhook subscription's position was last known to be
// safe (subscribed, replayed, or delivered): a subscription whose position is behind deletion events removed
// since then can no longer tell its receiver of every deletion, and is dead-lettered for a full resync, as the
// change feed answers such a reader 410 (src/changes/README.md). Subscriptions already stored take their
// collection's mark as it is now.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhooks', (t) => {
    t.bigInteger('pruned_us').notNullable().defaultTo(0);
  });
  await knex.raw(
    `update webhooks set pruned_us = coalesce((select p.pruned_through_us from changes_pruned p where p.collection_id = webhooks.collection_id), 0)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhooks', (t) => {
    t.dropColumn('pruned_us');
  });
}
