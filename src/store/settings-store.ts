import { randomBytes } from 'node:crypto';
import type { Db } from './db';

const TABLE = 'settings';

/** Server-wide values shared by every process on one database. */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  /** The secret that signs `next` cursors: created once, then the same for every process. */
  async cursorSecret(): Promise<Buffer> {
    const key = 'cursor_secret';
    await this.db.knex(TABLE).insert({ key, value: randomBytes(32).toString('base64') }).onConflict('key').ignore();
    const row = await this.db.knex(TABLE).where({ key }).first('value');
    return Buffer.from(row.value, 'base64');
  }
}
