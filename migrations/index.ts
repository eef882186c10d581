import type { Knex } from 'knex';
import * as m1 from './20261124000001_create-collections';
import * as m2 from './20261124000002_create-objects';
import * as m3 from './20261124000003_create-statuses';
import * as m4 from './20261124000004_create-users';
import * as m5 from './20261124000005_create-access-control';
import * as m6 from './20261124000006_index-type-date-added';
import * as m7 from './20261201000001_create-review';
import * as createChanges from './20261201001801_create-changes';
import * as createWebhooks from './20261201001802_create-webhooks';
import * as m8 from './20261201120000_create-console-sessions';
import * as createObjectEndpoints from './20261201200001_create-object-endpoints';
import * as createIngestQueue from './20261202140001_create-ingest-queue';
import * as granularTlp from './20261202200001_granular-tlp';
import * as authRevision from './20261203100001_auth-revision';
import * as ingestIndexes from './20261204090001_ingest-indexes';
import * as hotTableForeignKeys from './20261205090001_hot-table-foreign-keys';
import * as addEventsFromObjects from './20261206090001_add-events-from-objects';
import * as unsampledBodies from './20261207090001_unsampled-bodies';
import * as tlpRefsAnyCase from './20261208090001_tlp-refs-any-case';
import * as webhookPrunedMarker from './20261209090001_webhook-pruned-marker';
import * as consoleSessionCredentialMark from './20261209090002_console-session-credential-mark';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration in order. A new migration file is added here as well. */
export const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['20261124000001_create-collections', m1],
  ['20261124000002_create-objects', m2],
  ['20261124000003_create-statuses', m3],
  ['20261124000004_create-users', m4],
  ['20261124000005_create-access-control', m5],
  ['20261124000006_index-type-date-added', m6],
  ['20261201000001_create-review', m7],
  ['20261201001801_create-changes', createChanges],
  ['20261201001802_create-webhooks', createWebhooks],
  ['20261201120000_create-console-sessions', m8],
  ['20261201200001_create-object-endpoints', createObjectEndpoints],
  ['20261202140001_create-ingest-queue', createIngestQueue],
  ['20261202200001_granular-tlp', granularTlp],
  ['20261203100001_auth-revision', authRevision],
  ['20261204090001_ingest-indexes', ingestIndexes],
  ['20261205090001_hot-table-foreign-keys', hotTableForeignKeys],
  ['20261206090001_add-events-from-objects', addEventsFromObjects],
  ['20261207090001_unsampled-bodies', unsampledBodies],
  ['20261208090001_tlp-refs-any-case', tlpRefsAnyCase],
  ['20261209090001_webhook-pruned-marker', webhookPrunedMarker],
  ['20261209090002_console-session-credential-mark', consoleSessionCredentialMark],
];
