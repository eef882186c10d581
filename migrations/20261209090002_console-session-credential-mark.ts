import type { Knex } from 'knex';

// A console session is bound to the password it was opened with: it keeps a mark of the user's password hash
// (src/console/sessions.ts), and a new password ends it. Sessions opened before have none and sign in again.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('console_sessions', (t) => {
    t.string('credential_mark', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('console_sessions', (t) => {
    t.dropColumn('credential_mark');
  });
}
