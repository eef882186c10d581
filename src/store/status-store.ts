import type { StatusResource } from '../domain/types';
import type { Db } from './db';

const TABLE = 'statuses';

export interface StoredStatus {
  apiRoot: string;
  collectionId: string;
  principalId?: string;
  resource: StatusResource;
}

export class StatusStore {
  constructor(private readonly db: Db) {}

  async save(s: StoredStatus, retentionMs: number): Promise<void> {
    const now = Date.now();
    await this.db.knex(TABLE).insert({
      id: s.resource.id,
      api_root: s.apiRoot,
      collection_id: s.collectionId,
      principal_id: s.principalId ?? null,
      created_at_ms: now,
      expires_at_ms: now + retentionMs,
      body: JSON.stringify(s.resource),
    });
  }

  async find(apiRoot: string, id: string): Promise<StoredStatus | undefined> {
    const row = await this.db.knex(TABLE).where({ id, api_root: apiRoot }).where('expires_at_ms', '>', Date.now()).first();
    if (!row) return undefined;
    return { apiRoot: row.api_root, collectionId: row.collection_id, principalId: row.principal_id ?? undefined, resource: JSON.parse(row.body) };
  }

  /** Removes expired statuses; returns how many. */
  async sweep(): Promise<number> {
    return this.db.knex(TABLE).where('expires_at_ms', '<=', Date.now()).delete();
  }
}
