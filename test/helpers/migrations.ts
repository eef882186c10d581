import type { Knex } from 'knex';
import { migrations } from '../../migrations';

type Entry = (typeof migrations)[number];

/**
 * A knex migration source of the project's migrations that come before `name` (all of them but the newest when
 * `name` is omitted): a database migrated with it is one an earlier build left, for testing the migrations after.
 */
export function migrationsBefore(name: string = migrations[migrations.length - 1]![0]): Knex.MigrationSource<Entry> {
  const before = migrations.filter(([n]) => n < name);
  return {
    getMigrations: async () => [...before],
    getMigrationName: ([n]) => n,
    getMigration: async ([, m]) => m,
  };
}
