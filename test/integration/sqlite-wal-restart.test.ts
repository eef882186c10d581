/**
 * On a real SQLite file: the checkpoint thread's restart (src/store/sqlite-checkpoint.ts), run while the writer
 * is held, has the next write start the WAL again from its beginning while a writer keeps committing, so the
 * WAL stays bounded without a checkpoint inside a commit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { CheckpointThread, WalCheckpoints } from '../../src/store/sqlite-checkpoint';

/**
 * The WAL header's checkpoint sequence number (bytes 12-15, big-endian): SQLite adds one each time a write
 * starts the WAL again from its beginning (https://www.sqlite.org/fileformat2.html#walformat).
 */
function walSequence(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    fs.readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    fs.closeSync(fd);
  }
}

test('When writers commit row after row, Then each restart holds the writer and has the next commit start the WAL again, and the WAL never grows past the rows of one wait limit', async () => {
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
  // The writer: one at a time, as the server's one writer connection is (db.ts holds it for the restart).
  let writer: Promise<void> = Promise.resolve();
  const exclusive = (work: () => Promise<void>): Promise<void> => {
    const turn = writer.then(work);
    writer = turn.catch(() => undefined);
    return turn;
  };
  let holds = 0;
  const wal = new WalCheckpoints(thread, 60_000, (e) => errors.push(e), { start: 50, wait: 400 }, (work) =>
    exclusive(async () => {
      holds++;
      // The reader lets go while the restart waits for it.
      const letGo = setTimeout(release, 30);
      try {
        await work();
      } finally {
        clearTimeout(letGo);
      }
    }),
  );
  const walBytes = () => fs.statSync(`${file}-wal`).size;
  // A reader that always holds the snapshot from before the last commit, as the server's readers do for a
  // moment: no checkpoint can copy past it, so without a restart that waits for it the WAL never starts again.
  const reader = new Database(file, { readonly: true });
  const scan = reader.prepare('select id from t');
  let held: IterableIterator<unknown> | undefined;
  function release(): void {
    held?.return?.();
    held = undefined;
  }
  try {
    let restarts = 0;
    let largest = 0;
    // The thread is started before writing begins, as after the server's first checkpoint.
    await thread.checkpoint();
    let holdsAtLastCommit = 0;
    let sequenceAtLastCommit = 0;
    for (let round = 0; round < 60; round++) {
      // Requests come a little apart, as they do to the server: the thread's answers arrive in between.
      await new Promise((r) => setTimeout(r, 2));
      await exclusive(async () => {
        // A restart that held the writer since the last commit has the WAL start again at this one.
        const restarted = holds > holdsAtLastCommit;
        release();
        held = scan.iterate();
        held.next();
        commit(50);
        if (restarted) {
          restarts++;
          expect(walSequence(`${file}-wal`)).toBe(sequenceAtLastCommit + 1);
        }
        holdsAtLastCommit = holds;
        sequenceAtLastCommit = walSequence(`${file}-wal`);
      });
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
    release();
    reader.close();
    await wal.stop();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
