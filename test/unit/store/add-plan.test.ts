/**
 * AddPlan decides, without the database, what one write does with each posted version: added at the next
 * date_added, unchanged (the writer may see the stored version and its content is the same) or a conflict;
 * then the first/last flags of the new rows and which stored versions lose one.
 */
import { microsToTimestamp, versionKey } from '../../../src/common/time';
import type { PreparedObject, Visibility } from '../../../src/domain/types';
import { AddPlan, existingRow } from '../../../src/store/add-plan';
import type { ExistingRow } from '../../../src/store/object-rows';

const COLLECTION = '11111111-2222-4333-8444-555555555555';
const ID = 'indicator--0b6e7a3c-5d4f-4e2a-9c1b-8a7f6e5d4c3b';

function posted(modified: string | undefined, name = 'x', tlp?: number): PreparedObject {
  const value: Record<string, unknown> = { type: 'indicator', id: ID, name, ...(modified ? { modified } : {}) };
  return {
    stixId: ID,
    type: 'indicator',
    specVersion: '2.1',
    versionKey: modified,
    version: modified,
    revoked: false,
    tlp,
    body: JSON.stringify(value),
    value,
  };
}

function stored(seq: number, key: string, flags: { latest?: boolean; first?: boolean } = {}, tlp: number | null = null): ExistingRow {
  return existingRow(seq, ID, key, key, tlp, null, null, flags.latest ? 1 : 0, flags.first ? 1 : 0);
}

function plan(existing: ExistingRow[], repeated: Record<number, string> = {}, visibility?: Visibility): AddPlan {
  const rows = new Map<string, ExistingRow[]>(existing.length ? [[ID, existing]] : []);
  return new AddPlan(COLLECTION, rows, [1_000_010, 1_000_020, 1_000_030], 1_000_000, new Map(Object.entries(repeated).map(([k, v]) => [Number(k), v])), visibility);
}

const CLEARED: Visibility = { maxTlp: 3, defaultTlp: 0 };

describe('AddPlan', () => {
  it('adds new versions at the positions in posting order, the last one handed out kept', () => {
    const p = plan([]);
    p.take(posted('2024-01-02T00:00:00.000Z'), undefined);
    p.take(posted('2024-01-01T00:00:00.000Z'), undefined);
    expect(p.outcomes).toEqual([
      { kind: 'added', version: '2024-01-02T00:00:00.000Z', dateAddedUs: 1_000_010 },
      { kind: 'added', version: '2024-01-01T00:00:00.000Z', dateAddedUs: 1_000_020 },
    ]);
    expect(p.inserts.map((r) => r.date_added_us)).toEqual([1_000_010, 1_000_020]);
    expect(p.lastUs).toBe(1_000_020);
    // Both new: the later modified is the latest, the earlier the first; no stored version to update.
    expect(p.flagUpdates()).toEqual([]);
    expect(p.inserts.map((r) => [r.version_key, r.is_latest, r.is_first])).toEqual([
      ['2024-01-02T00:00:00.000Z', 1, 0],
      ['2024-01-01T00:00:00.000Z', 0, 1],
    ]);
  });

  it('keeps the counter as the last position when nothing is added', () => {
    const p = plan([stored(7, '2024-01-01T00:00:00.000Z', { latest: true, first: true })], { 7: posted('2024-01-01T00:00:00.000Z').body }, CLEARED);
    p.take(posted('2024-01-01T00:00:00.000Z'), undefined);
    expect(p.outcomes).toEqual([{ kind: 'unchanged', version: '2024-01-01T00:00:00.000Z' }]);
    expect(p.inserts).toEqual([]);
    expect(p.lastUs).toBe(1_000_000);
  });

  it('answers unchanged for the same content in another key order, and a conflict for other content', () => {
    const storedBody = JSON.stringify({ name: 'x', modified: '2024-01-01T00:00:00.000Z', id: ID, type: 'indicator' });
    const p = plan([stored(7, '2024-01-01T00:00:00.000Z', { latest: true, first: true })], { 7: storedBody }, CLEARED);
    p.take(posted('2024-01-01T00:00:00.000Z'), undefined);
    p.take(posted('2024-01-01T00:00:00.000Z', 'changed'), undefined);
    expect(p.outcomes[0]).toEqual({ kind: 'unchanged', version: '2024-01-01T00:00:00.000Z' });
    expect(p.outcomes[1]).toMatchObject({ kind: 'conflict', message: expect.stringContaining('needs a later modified timestamp') });
  });

  it('answers a conflict, never unchanged, for a stored version above the writer clearance', () => {
    const same = posted('2024-01-01T00:00:00.000Z');
    const p = plan([stored(7, '2024-01-01T00:00:00.000Z', { latest: true, first: true }, 3)], { 7: same.body }, { maxTlp: 1, defaultTlp: 0 });
    p.take(same, undefined);
    expect(p.outcomes[0]!.kind).toBe('conflict');
  });

  it('compares a version posted twice in one request with the first', () => {
    const p = plan([]);
    p.take(posted('2024-01-01T00:00:00.000Z'), undefined);
    p.take(posted('2024-01-01T00:00:00.000Z'), undefined);
    p.take(posted('2024-01-01T00:00:00.000Z', 'other'), undefined);
    expect(p.outcomes.map((o) => o.kind)).toEqual(['added', 'unchanged', 'conflict']);
    expect(p.inserts).toHaveLength(1);
  });

  it('gives an object without modified or created one version, with its date_added as the version', () => {
    const p = plan([]);
    p.take(posted(undefined), undefined);
    p.take(posted(undefined, 'other'), undefined);
    expect(p.outcomes[0]).toMatchObject({ kind: 'added', version: microsToTimestamp(1_000_010) });
    expect(p.inserts[0]!.version_key).toBe(versionKey(microsToTimestamp(1_000_010)));
    expect(p.outcomes[1]).toMatchObject({ kind: 'conflict', message: expect.stringContaining('has only one version') });
  });

  it('moves the latest flag off a stored version when a later one comes, and the first flag when an earlier one does', () => {
    const later = plan([stored(7, '2024-01-02T00:00:00.000Z', { latest: true, first: true })]);
    later.take(posted('2024-01-03T00:00:00.000Z'), undefined);
    expect(later.flagUpdates()).toEqual([{ stixId: ID, latest: '2024-01-03T00:00:00.000Z', first: '2024-01-02T00:00:00.000Z' }]);
    expect(later.inserts[0]).toMatchObject({ is_latest: 1, is_first: 0 });

    const between = plan([stored(7, '2024-01-01T00:00:00.000Z', { first: true }), stored(8, '2024-01-03T00:00:00.000Z', { latest: true })]);
    between.take(posted('2024-01-02T00:00:00.000Z'), undefined);
    expect(between.flagUpdates()).toEqual([]);
    expect(between.inserts[0]).toMatchObject({ is_latest: 0, is_first: 0 });

    const earlier = plan([stored(7, '2024-01-02T00:00:00.000Z', { latest: true, first: true })]);
    earlier.take(posted('2024-01-01T00:00:00.000Z'), undefined);
    expect(earlier.flagUpdates()).toEqual([{ stixId: ID, latest: '2024-01-02T00:00:00.000Z', first: '2024-01-01T00:00:00.000Z' }]);
    expect(earlier.inserts[0]).toMatchObject({ is_latest: 0, is_first: 1 });
  });

  it('keeps the granular profile and TLP of each new row', () => {
    const p = plan([]);
    p.take(posted('2024-01-01T00:00:00.000Z', 'x', 2), { tlp: 3, redactFloor: 1 });
    expect(p.inserts[0]).toMatchObject({ tlp: 2, granular_tlp: 3, redact_floor: 1, collection_id: COLLECTION, revoked: 0 });
  });
});
