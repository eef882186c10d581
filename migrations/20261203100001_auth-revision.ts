import type { Knex } from 'knex';

// One counter that every change to what authentication and grants read moves: users, grants, and the
// columns of api_tokens that decide whether and as whom a token works (its use time, written on every
// use, is left out). Triggers move it, so a change made by any process, the CLI or plain SQL is counted in
// the same transaction. A server may reuse a principal and its grants while the counter is unchanged
// (src/taxii/services/auth-service.ts, src/taxii/grant-policy.ts).
const TABLES: ReadonlyArray<readonly [string, string]> = [
  ['users', ''],
  ['grants', ''],
  ['api_tokens', ' OF name, token_hash, user_id, max_tlp, expires_at_ms, revoked_at_ms'],
];
const BUMP = 'UPDATE auth_revision SET revision = revision + 1 WHERE id = 1';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('auth_revision', (t) => {
    t.integer('id').primary();
    t.bigInteger('revision').notNullable();
  });
  await knex('auth_revision').insert({ id: 1, revision: 0 });
  if (knex.client.config.client === 'pg') {
    await knex.raw(`CREATE FUNCTION auth_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${BUMP}; RETURN NULL; END $$`);
    for (const [table, columns] of TABLES) {
      await knex.raw(
        `CREATE TRIGGER ${table}_auth_revision AFTER INSERT OR DELETE OR UPDATE${columns} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION auth_revision_bump()`,
      );
    }
    return;
  }
  for (const [table, columns] of TABLES) {
    for (const event of ['INSERT', 'DELETE', `UPDATE${columns}`]) {
      const name = `${table}_auth_revision_${event.split(' ')[0]!.toLowerCase()}`;
      await knex.raw(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} BEGIN ${BUMP}; END`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    for (const [table] of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_auth_revision ON ${table}`);
    await knex.raw('DROP FUNCTION IF EXISTS auth_revision_bump()');
  } else {
    for (const [table] of TABLES) for (const e of ['insert', 'delete', 'update']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_auth_revision_${e}`);
  }
  await knex.schema.dropTable('auth_revision');
}
