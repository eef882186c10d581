/**
 * A SQLite database the server creates has 8 KB pages (src/store/db.ts, NEW_DATABASE_PAGE_SIZE); one created
 * earlier keeps its own, and its WAL checkpoints at the same number of bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createDb, migrateLatest } from '../../src/store/db';

const onPostgres = /^postgres/i.test(process.env.TEST_DATABASE_URL ?? '');

(onPostgres ? describe.skip : describe)('SQLite page size', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-page-size-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function open(file: string): Promise<{ pageSize: number; autocheckpoint: number }> {
    const db = createDb({ url: `sqlite://${file}` });
    try {
      await migrateLatest(db);
      const pageSize = Number((await db.knex.raw('pragma page_size'))[0].page_size);
      const autocheckpoint = Number((await db.knex.raw('pragma wal_autocheckpoint'))[0].wal_autocheckpoint);
      return { pageSize, autocheckpoint };
    } finally {
      await db.close();
    }
  }

  test('When the server creates a database, Then its pages are 8 KB and the WAL checkpoints after 16,384 of them (128 MB)', async () => {
    expect(await open(path.join(dir, 'new.db'))).toEqual({ pageSize: 8192, autocheckpoint: 16384 });
  });

  test('When the database was created with 4 KB pages, Then it keeps them and the WAL checkpoints after 32,768', async () => {
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    old.pragma('page_size = 4096');
    old.exec('create table earlier (x integer)');
    old.close();
    expect(await open(file)).toEqual({ pageSize: 4096, autocheckpoint: 32768 });
  });
});
