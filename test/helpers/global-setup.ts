/**
 * When TEST_DATABASE_URL names a PostgreSQL server, the run is meant to exercise PostgreSQL: fail the
 * whole run at once, with the reason, if it cannot be reached, instead of failing file by file.
 */
import knexFactory from 'knex';
import { withDefaultUser } from '../../src/store/db';

export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url || !/^postgres/i.test(url)) return;
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: withDefaultUser(url), connectionTimeoutMillis: 5000 } as never,
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 8000,
    log: { warn: () => undefined },
  });
  try {
    await knex.raw('select 1');
    const r = await knex.raw("select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user");
    if (!r.rows[0]?.ok) throw new Error('the role cannot create databases (each test file needs its own)');
  } catch (e) {
    const where = url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
    throw new Error(`TEST_DATABASE_URL=${where} is set but PostgreSQL is not usable: ${(e as Error).message}`);
  } finally {
    await knex.destroy();
  }
}
