import type { Db } from './db';

const TABLE = 'collections';

/** The store's view of collections: their existence and per-collection date_added counter. */
export class CollectionStore {
  constructor(private readonly db: Db) {}

  /** Makes sure every configured collection has its row; existing rows (and counters) are kept. */
  async ensure(collections: ReadonlyArray<{ id: string; apiRoot: string }>): Promise<void> {
    for (const c of collections) {
      await this.db.knex(TABLE).insert({ id: c.id, api_root: c.apiRoot, last_date_added_us: 0 }).onConflict('id').ignore();
    }
  }
}
