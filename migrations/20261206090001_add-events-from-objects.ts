import type { Knex } from 'knex';

// An add's event is its version's row: the change log reads the add and revocation events of the versions
// still stored from the objects table (an add's position is its version's date_added, objects_date_added_uq),
// and the `changes` table keeps only deletion events and the add events of the versions they removed, which
// a DELETE moves there in its transaction. Every ingested object wrote a row to `changes` and to its three
// indexes before (docs/performance.md, "Issue 21, seventeenth pass").
//
// Up: the add and revocation events of versions still stored go; those of deleted versions stay until
// retention removes them with their deletion events. Down: the events of the stored versions come back.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `delete from changes
     where change <> 'deleted'
       and exists (select 1 from objects o where o.collection_id = changes.collection_id and o.date_added_us = changes.position_us)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `insert into changes (collection_id, position_us, stix_id, type, version, change, tlp, granular_tlp, redact_floor)
     select collection_id, date_added_us, stix_id, type, version, case when revoked = 1 then 'revoked' else 'added' end, tlp, granular_tlp, redact_floor
     from objects`,
  );
}
