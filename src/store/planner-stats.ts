import type { Knex } from 'knex';

/**
 * Rows written to a table, beyond its size at the last ANALYZE, that call for a new one: once it has doubled.
 * A tenth (autovacuum's default) ran ANALYZE some 75 times during a million-object ingest, each sampling
 * 30,000 rows of a growing table on the database's CPU: PostgreSQL ingest 8,078 and 9,447 objects/s against
 * 8,873 and 9,966 when doubling (300,000 objects, alternated). The index plans only need the table's size right
 * within a factor, and PostgreSQL scales its row estimate by the table's current pages at planning time.
 */
const MIN_ROWS = 1000;
const GROWTH = 1;
/**
 * The statistics target of these ANALYZE runs (PostgreSQL's default is 100): a sample of 9,000 rows instead of
 * 30,000, and histograms of 30 buckets. The page plans turn on the table's size and on where a position falls
 * in date_added; with 10 buckets the planner, misled, sometimes read an empty poll through objects_date_added_uq
 * instead of objects_latest_idx (test/integration/query-plans.test.ts, in 3 runs of 6). With the bodies left
 * out (migration 20261207090001), an ANALYZE of a 65,000-object table took 46 ms against 195-320 ms.
 * Autovacuum's own runs, where enabled, still use the database's default.
 */
const SAMPLE_TARGET = 30;

interface Entry {
  /** Rows written since the last ANALYZE started. */
  written: number;
  /** Rows to write before the next one; unknown until the table's size has been read. */
  threshold?: number;
  running?: Promise<void>;
}

/**
 * Keeps PostgreSQL's planner statistics in step with bulk writes, so that the page queries keep their
 * index plans whether or not autovacuum runs (or runs soon enough). Without statistics the planner takes a
 * freshly filled objects table for a few rows and answers the first page of a public collection with a
 * bitmap scan and a sort of the whole collection instead of reading 101 rows of an index: measured on
 * 10,000 objects, 7.8 ms a page instead of 0.1 ms.
 *
 * After rows written to a table exceed 1,000 plus its size at the last ANALYZE, it runs
 * `ANALYZE <table>` (on a small sample, SAMPLE_TARGET) in the background, one at a time per table. The writer
 * never waits for it.
 */
export class PlannerStats {
  private readonly tables = new Map<string, Entry>();

  constructor(
    private readonly knex: Knex,
    private readonly onError: (table: string, err: unknown) => void,
  ) {}

  /** Records rows committed to `table`; starts an ANALYZE of it when enough have changed. */
  wrote(table: string, rows: number): void {
    if (rows <= 0) return;
    this.entry(table).written += rows;
    this.kick(table);
  }

  /**
   * Analyzes each table that holds rows but has never been analyzed (a database restored or filled by an
   * earlier version, on a server without autovacuum). Runs in the background like wrote().
   */
  analyzeNeverAnalyzed(tables: readonly string[]): void {
    for (const table of tables) {
      const t = this.entry(table);
      if (t.running) continue;
      t.running = (async () => {
        try {
          // reltuples is -1 until the first ANALYZE or VACUUM (the activity statistics may have been reset).
          const r = await this.knex.raw('select 1 from pg_class where oid = to_regclass(?) and reltuples < 0', [table]);
          if (r.rows.length && (await this.knex(table).select(this.knex.raw('1')).limit(1)).length) await this.analyze(table, t);
        } catch (e) {
          this.onError(table, e);
        }
      })().finally(() => {
        t.running = undefined;
        // Writes recorded meanwhile waited for this run.
        if (t.written > 0) this.kick(table);
      });
    }
  }

  /** Resolves once no ANALYZE started here is still running. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.tables.values()].map((t) => t.running).filter((p): p is Promise<void> => p !== undefined);
      if (!running.length) return;
      await Promise.all(running);
    }
  }

  private entry(table: string): Entry {
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = { written: 0 }));
    return t;
  }

  private kick(table: string): void {
    const t = this.entry(table);
    if (t.running || (t.threshold !== undefined && t.written < t.threshold)) return;
    t.running = this.refresh(table, t).finally(() => {
      t.running = undefined;
      this.kick(table);
    });
  }

  private async refresh(table: string, t: Entry): Promise<void> {
    try {
      if (t.threshold === undefined) {
        // First write seen by this process: size the threshold from the statistics already present
        // (reltuples is -1 for a table never analyzed).
        t.threshold = MIN_ROWS + GROWTH * Math.max(0, await this.estimatedRows(table));
        if (t.written < t.threshold) return;
      }
      await this.analyze(table, t);
    } catch (e) {
      // Not retried until as many rows again have been written.
      t.written = 0;
      t.threshold ??= MIN_ROWS;
      this.onError(table, e);
    }
  }

  private async analyze(table: string, t: Entry): Promise<void> {
    const written = t.written;
    await this.knex.transaction(async (trx) => {
      await trx.raw(`set local default_statistics_target = ${SAMPLE_TARGET}`);
      await trx.raw('analyze ??', [table]);
    });
    t.written -= Math.min(written, t.written);
    t.threshold = MIN_ROWS + GROWTH * Math.max(0, await this.estimatedRows(table));
  }

  private async estimatedRows(table: string): Promise<number> {
    const r = await this.knex.raw('select reltuples from pg_class where oid = to_regclass(?)', [table]);
    return Number(r.rows[0]?.reltuples ?? 0);
  }
}
