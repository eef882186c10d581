import type { Knex } from 'knex';
import type { Visibility } from '../domain/types';
import type { GranularReader } from '../stix/granular-redaction';

/* The reader rules every read of object versions applies inside its query (objects, change log, reviews). */

const OBJECTS = 'objects';
const ENDPOINTS = 'object_endpoints';

/** The reader of granular markings a visibility stands for (undefined: cleared for everything). */
export function granularReader(visibility?: Visibility): GranularReader | undefined {
  return visibility ? { maxTlp: visibility.maxTlp, mode: visibility.granular ?? 'redact' } : undefined;
}


type VersionLevels = { tlp: number | null; granular_tlp?: number | null; redact_floor?: number | null };

/** Whether a version is served to the visibility (whole or redacted); the same rule as applyVisibility. */
export function isVisibleTo(row: VersionLevels, visibility?: Visibility): boolean {
  if (!visibility) return true;
  if ((row.tlp ?? visibility.defaultTlp) > visibility.maxTlp) return false;
  const g = row.granular_tlp ?? null;
  if (g === null) return true;
  return (visibility.granular === 'withhold' ? g : row.redact_floor ?? g) <= visibility.maxTlp;
}

/** Whether the visibility sees a version whole: visible, and nothing in it marked above the clearance. */
export function isWhollyVisibleTo(row: VersionLevels, visibility?: Visibility): boolean {
  return isVisibleTo(row, visibility) && (!visibility || (row.granular_tlp ?? -1) <= visibility.maxTlp);
}

/**
 * With `hideEndpointsOfHidden`, leaves out (inside the query, so paging stays exact) rows of a query on the
 * objects table whose object names an endpoint that is stored in the collection with no version the
 * visibility allows. Endpoints not stored in the collection hide nothing. Through the primary key of object_endpoints and objects_version_uq.
 */
export function applyEndpointVisibility(query: Knex.QueryBuilder, visibility?: Visibility, table = OBJECTS): void {
  if (!visibility?.hideEndpointsOfHidden) return;
  query.whereNotExists((e) => {
    e.select('e.ref_id')
      .from(`${ENDPOINTS} as e`)
      .whereRaw(`e.collection_id = ${table}.collection_id`)
      .whereRaw(`e.stix_id = ${table}.stix_id`)
      .whereExists((h) => h.select('h.seq').from(`${OBJECTS} as h`).whereRaw('h.collection_id = e.collection_id').whereRaw('h.stix_id = e.ref_id'))
      .whereNotExists((w) => {
        w.select('w.seq').from(`${OBJECTS} as w`).whereRaw('w.collection_id = e.collection_id').whereRaw('w.stix_id = e.ref_id');
        applyVisibility(w, visibility, 'w.');
      });
  });
}

/**
 * Leaves out rows above the caller's clearance (unmarked rows take the collection's default TLP), and rows
 * with a granular TLP marking above it that the collection withholds, or that are not valid STIX redacted
 * (the columns written with each version from src/stix/granular-redaction.ts). `table` prefixes the columns
 * (`'v.'`), for correlated subqueries. The objects table and the change log share these column names.
 */
export function applyVisibility(query: Knex.QueryBuilder, visibility?: Visibility, table = ''): void {
  if (!visibility) return;
  const { maxTlp, defaultTlp } = visibility;
  const column = `${table}tlp`;
  if (defaultTlp <= maxTlp) query.where((b) => b.where(column, '<=', maxTlp).orWhereNull(column));
  else query.where(column, '<=', maxTlp);
  const granular = `${table}${visibility.granular === 'withhold' ? 'granular_tlp' : 'redact_floor'}`;
  // All but a few rows hold null here; the test is on the row already read through the page's index range.
  query.where((b) => b.whereNull(granular).orWhere(granular, '<=', maxTlp));
}

