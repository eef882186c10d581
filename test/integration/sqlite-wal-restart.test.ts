/**
 * On a real SQLite file: the checkpoint thread's restart (src/store/sqlite-checkpoint.ts) empties the WAL
 * while a writer keeps committing, so the WAL stays bounded without a checkpoint inside a commit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { CheckpointThread, WalCheckpoints } from '../../src/store/sqlite-checkpoint';

test('When writers commit row after row, Then each restart leaves the WAL empty and it never grows past the rows of one wait limit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-restart-'));
  const file = path.join(dir, 'db.sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // No checkpoint inside a commit: only the thread's keep the WAL short.
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table t (id integer primary key, body text not null)');
  const insert = db.prepare('insert into t (body) values (?)');
  const commit = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run('x'.repeat(2000));
  });
  const thread = new CheckpointThread(file);
  const errors: unknown[] = [];
  const wal = new WalCheckpoints(thread, 60_000, (e) => errors.push(e), { start: 50, wait: 400 });
  const walBytes = () => fs.statSync(`${file}-wal`).size;
  try {
    let restarts = 0;
    let largest = 0;
    for (let round = 0; round < 60; round++) {
      const wait = wal.beforeWrite();
      if (wait) {
        await wait;
        restarts++;
        expect(walBytes()).toBe(0);
      }
      commit(50);
      wal.wrote(50);
      largest = Math.max(largest, walBytes());
    }
    expect(errors).toEqual([]);
    expect(restarts).toBeGreaterThanOrEqual(6);
    // 400 rows of about 2 KB each, plus the pages of the table's tree: well under 3 MB. Without the
    // restarts the 3,000 rows leave more than 6 MB.
    expect(largest).toBeLessThan(3 * 1024 * 1024);
    expect((db.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(3000);
  } finally {
    await wal.stop();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
